package org.opentwag.charging.gy.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code org.opentwag.charging.gy} ({@code etc/org.opentwag.charging.gy.cfg}). */
@ObjectClassDefinition(name = "OpenTWAG Gy charging",
        description = "Modes authorization-only and online over Diameter Gy (RFC 4006, TS 32.299)")
public @interface GyConfig {

    @AttributeDefinition(description = "Destination-Realm of CCRs: the OCS's realm (or one a DRA routes)")
    String destinationRealm() default "epc.mnc001.mcc001.3gppnetwork.org";

    @AttributeDefinition(description = "Destination-Host of CCRs; empty routes by realm")
    String destinationHost() default "";

    @AttributeDefinition(description = "Service-Context-Id (TS 32.299 7.1.12; 32251@3gpp.org = PS domain charging)")
    String serviceContextId() default "32251@3gpp.org";

    @AttributeDefinition(description = "Octets asked in each Requested-Service-Unit (CC-Total-Octets)", min = "1")
    long chunkOctets() default 10485760;

    @AttributeDefinition(description = "Rating-Group of the Multiple-Services-Credit-Control, -1 for none", min = "-1")
    long ratingGroup() default 1;

    @AttributeDefinition(description = "Service-Identifier of the Multiple-Services-Credit-Control, -1 for none", min = "-1")
    long serviceIdentifier() default -1;

    @AttributeDefinition(description = "CCR-Update once this percentage of the grant is used", min = "1", max = "100")
    int updateThresholdPercent() default 80;

    @AttributeDefinition(description = "Tx timer (RFC 4006 13): milliseconds to wait for a CCA", min = "100")
    long txTimerMillis() default 1000;

    @AttributeDefinition(description = "Credit-Control-Failure-Handling when the OCS is down or slow: TERMINATE, CONTINUE or RETRY_AND_TERMINATE")
    String failureHandling() default "TERMINATE";
}
