package org.opentwag.hsssim.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code org.opentwag.hsssim} ({@code etc/org.opentwag.hsssim.cfg}). */
@ObjectClassDefinition(name = "OpenTWAG HSS simulator",
        description = "Embedded HSS answering SWx MAR/SAR with Milenage vectors from the subscriber file")
public @interface HssSimConfig {

    @AttributeDefinition(description = "Run the simulator (its own Diameter node)")
    boolean enabled() default true;

    @AttributeDefinition(description = "Origin-Host of the simulator")
    String originHost() default "hss.epc.mnc001.mcc001.3gppnetwork.org";

    @AttributeDefinition(description = "Origin-Realm of the simulator")
    String originRealm() default "epc.mnc001.mcc001.3gppnetwork.org";

    @AttributeDefinition(description = "Listening address")
    String listenAddress() default "127.0.0.1";

    @AttributeDefinition(description = "Listening TCP port (the TWAG's own node uses 3868)", min = "1", max = "65535")
    int listenPort() default 3869;

    @AttributeDefinition(description = "Origin-Host of the TWAG accepted as peer (and where RTRs go by default)")
    String peerHost() default "twag.localdomain";

    @AttributeDefinition(description = "Accept any AAA peer that connects, not only peerHost (labs)")
    boolean acceptUnknownPeers() default false;

    @AttributeDefinition(description = "Answer EAP-AKA' with DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED (5006), as Open5GS does")
    boolean refuseAkaPrime() default false;

    @AttributeDefinition(description = "After a verified AUTS the next SQN is SQN_MS + this step: 32 = next SEQ with 5-bit IND 0; Open5GS uses 33", min = "1")
    int resyncSqnStep() default 32;

    @AttributeDefinition(description = "Most vectors returned per MAR (SIP-Number-Auth-Items is capped to it)", min = "1", max = "32")
    int maxVectorsPerMar() default 5;

    @AttributeDefinition(description = "Hold every MAA this many milliseconds (a slow HSS, for fault tests; 0 = none)", min = "0")
    long answerDelayMillis() default 0;

    @AttributeDefinition(description = "DOIC (RFC 7683): ask the AAA server for this percentage less traffic in every MAA/SAA (an overloaded HSS; 0 = no overload report)", min = "0", max = "100")
    int overloadReductionPercentage() default 0;

    @AttributeDefinition(description = "OC-Validity-Duration of that overload report (seconds)", min = "1", max = "86400")
    int overloadValiditySeconds() default 30;

    @AttributeDefinition(description = "Every vector of a multi-vector MAA reuses one RAND (a faulty HSS, for testing the AAA server's batch check)")
    boolean duplicateRands() default false;

    @AttributeDefinition(description = "IMSIs whose non-3GPP access is barred (SAA Non-3GPP-IP-Access = NON_3GPP_SUBSCRIPTION_BARRED), comma-separated")
    String barredImsis() default "";

    @AttributeDefinition(description = "APNs sent to every subscriber in the SAA's Non-3GPP-User-Data (APN-Configuration, Context-Identifier 1, 2, ...; the first is the default APN), comma-separated; empty = no APN configuration")
    String apns() default "";

    @AttributeDefinition(description = "Subscriber file imsi,ki,opc,amf,sqn (empty: ${karaf.etc}/hss-subscribers.csv, shared with the local vector source)")
    String subscribersFile() default "";

    @AttributeDefinition(description = "SQN state of the simulator (empty: ${karaf.data}/opentwag/sqn-hss.properties); never share it with the local vector source")
    String sqnStateFile() default "";

    @AttributeDefinition(description = "How often the subscriber file is checked for changes (seconds)", min = "1")
    int reloadIntervalSeconds() default 5;
}
