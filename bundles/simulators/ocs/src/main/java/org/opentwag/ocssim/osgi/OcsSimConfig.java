package org.opentwag.ocssim.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code org.opentwag.ocssim} ({@code etc/org.opentwag.ocssim.cfg}). */
@ObjectClassDefinition(name = "OpenTWAG OCS simulator",
        description = "Embedded online charging system answering Gy CCRs from a balance file")
public @interface OcsSimConfig {

    @AttributeDefinition(description = "Run the simulator (its own Diameter node)")
    boolean enabled() default true;

    @AttributeDefinition(description = "Origin-Host of the simulator")
    String originHost() default "ocs.localdomain";

    @AttributeDefinition(description = "Origin-Realm of the simulator (the TWAG's Gy destinationRealm)")
    String originRealm() default "epc.mnc001.mcc001.3gppnetwork.org";

    @AttributeDefinition(description = "Listening address")
    String listenAddress() default "127.0.0.1";

    @AttributeDefinition(description = "Listening TCP port (3868 is the TWAG's, 3869 the HSS simulator's)", min = "1", max = "65535")
    int listenPort() default 3870;

    @AttributeDefinition(description = "Origin-Host of the TWAG accepted as peer")
    String peerHost() default "twag.localdomain";

    @AttributeDefinition(description = "Accept any Diameter client that connects, not only peerHost (labs)")
    boolean acceptUnknownPeers() default false;

    @AttributeDefinition(description = "Balance file imsi,balance_octets (empty: ${karaf.etc}/ocs-balances.csv)")
    String balancesFile() default "";

    @AttributeDefinition(description = "Balance of an IMSI missing from the file (octets); -1 answers it DIAMETER_USER_UNKNOWN")
    long defaultBalanceOctets() default -1;

    @AttributeDefinition(description = "Octets granted when a CCR leaves the amount to the OCS (empty Requested-Service-Unit)", min = "1")
    long defaultGrantOctets() default 10485760;

    @AttributeDefinition(description = "Most octets in one grant, 0 for no cap (the TWAG's chunk is granted as asked)", min = "0")
    long maxGrantOctets() default 0;

    @AttributeDefinition(description = "Validity-Time on each grant (seconds), 0 for none", min = "0")
    long validityTimeSeconds() default 0;

    @AttributeDefinition(description = "Hold every CCA this many milliseconds (a slow OCS, for failure-handling tests; 0 = none)", min = "0")
    long answerDelayMillis() default 0;

    @AttributeDefinition(description = "DOIC (RFC 7683): ask the TWAG for this percentage less traffic in every CCA (an overloaded OCS; 0 = no overload report)", min = "0", max = "100")
    int overloadReductionPercentage() default 0;

    @AttributeDefinition(description = "OC-Validity-Duration of that overload report (seconds)", min = "1", max = "86400")
    int overloadValiditySeconds() default 30;

    @AttributeDefinition(description = "How often the balance file is checked for changes (seconds)", min = "1")
    int reloadIntervalSeconds() default 5;
}
