package org.opentwag.diameter.stack.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "OpenTWAG Diameter node",
        description = "Our Diameter identity, listener and timers (peers: factory PID org.opentwag.diameter.peer)")
@interface NodeConfiguration {
    @AttributeDefinition(description = "Origin-Host (our DiameterIdentity)")
    String originHost() default "twag.localdomain";

    @AttributeDefinition(description = "Origin-Realm")
    String originRealm() default "epc.mnc001.mcc001.3gppnetwork.org";

    @AttributeDefinition(description = "Address the listener binds to")
    String listenAddress() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port to accept peers on; 0 = do not listen")
    int listenPort() default 3868;

    @AttributeDefinition(description = "TLS port to accept peers on (RFC 6733: 5658); 0 = none")
    int tlsListenPort() default 0;

    @AttributeDefinition(description = "Host-IP-Address values of CER/CEA, comma separated; empty = the connection's local address")
    String hostIpAddresses() default "";

    @AttributeDefinition(description = "Watchdog interval Tw in seconds (RFC 3539)")
    int watchdogSeconds() default 30;

    @AttributeDefinition(description = "Default time to wait for an answer, milliseconds")
    int requestTimeoutMillis() default 2000;

    @AttributeDefinition(description = "Threads that complete answers and run what the callers chain on them, "
            + "blocking state-store calls included (a cluster's are network round trips)")
    int workerThreads() default 8;

    @AttributeDefinition(description = "Time allowed to connect and to exchange capabilities, milliseconds")
    int connectTimeoutMillis() default 5000;

    @AttributeDefinition(description = "First reconnect delay, milliseconds (doubles up to reconnectMaxMillis)")
    int reconnectMinMillis() default 1000;

    @AttributeDefinition(description = "Longest reconnect delay, milliseconds")
    int reconnectMaxMillis() default 30000;

    @AttributeDefinition(description = "Product-Name of CER/CEA")
    String productName() default "OpenTWAG";

    @AttributeDefinition(description = "Vendor-Id of CER/CEA")
    int vendorId() default 0;

    @AttributeDefinition(description = "Applications we advertise: swx, gy or numeric ids")
    String[] applications() default {"swx", "gy"};

    @AttributeDefinition(description = "Accept CER from peers that are not configured")
    boolean acceptUnknownPeers() default false;

    @AttributeDefinition(description = "Seconds answers are kept to answer retransmitted ('T') requests")
    int duplicateWindowSeconds() default 60;

    @AttributeDefinition(description = "PKCS12/JKS key store with our certificate (SAN dNSName = originHost) and key for TLS peers (empty: no TLS)")
    String tlsKeyStore() default "";

    /** ".tlsKeyStorePassword" in the .cfg: a private property, not copied to the service registration. */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Key store password (private property .tlsKeyStorePassword)")
    String _tlsKeyStorePassword() default "";

    @AttributeDefinition(description = "Trust store with the CAs of the peers' certificates; required for TLS (the JDK's public CAs are never used)")
    String tlsTrustStore() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Trust store password (private property .tlsTrustStorePassword)")
    String _tlsTrustStorePassword() default "";
}
