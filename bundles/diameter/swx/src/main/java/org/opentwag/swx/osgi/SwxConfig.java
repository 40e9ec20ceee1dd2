package org.opentwag.swx.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code org.opentwag.swx} ({@code etc/org.opentwag.swx.cfg}). */
@ObjectClassDefinition(name = "OpenTWAG SWx client", description = "Authentication vectors from the HSS over Diameter SWx")
public @interface SwxConfig {

    @AttributeDefinition(description = "Destination-Realm of MAR/SAR (the HSS realm)")
    String hssRealm() default "epc.mnc001.mcc001.3gppnetwork.org";

    @AttributeDefinition(description = "Destination-Host of MAR/SAR; empty: any HSS peer of the realm", required = false)
    String hssHost() default "";

    @AttributeDefinition(description = "The HSS returns CK'/IK' for EAP-AKA' (TS 29.273); false for an HSS that returns plain CK/IK, so they are derived here")
    boolean hssDerivesCkIkPrime() default true;

    @AttributeDefinition(description = "SIP-Number-Auth-Items per MAR; above 1 only with vectorCacheSeconds > 0", min = "1", max = "32")
    int vectorsPerRequest() default 1;

    @AttributeDefinition(description = "How long extra vectors are kept (seconds); 0: no cache. A cached vector can go stale when the UE authenticates elsewhere", min = "0")
    int vectorCacheSeconds() default 0;

    @AttributeDefinition(description = "Bound of the vector cache in subscribers", min = "1")
    int vectorCacheMaxSubscribers() default 10000;

    @AttributeDefinition(description = "Send SAR REGISTRATION after a successful authentication and USER_DEREGISTRATION at session end")
    boolean sendSar() default true;

    @AttributeDefinition(description = "Diameter request timeout (ms)", min = "100")
    int requestTimeoutMillis() default 2000;
}
