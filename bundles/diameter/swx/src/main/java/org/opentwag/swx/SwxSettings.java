package org.opentwag.swx;

import java.time.Duration;

/**
 * How the SWx client talks to the HSS.
 *
 * @param hssRealm            Destination-Realm of MAR/SAR
 * @param hssHost             Destination-Host, or null to let realm routing pick an HSS
 * @param hssDerivesCkIkPrime true: for EAP-AKA' the MAA carries CK'/IK' (TS 29.273); false: the HSS returns plain
 *                            CK/IK and we derive CK'/IK' here (TS 33.402 A.2)
 * @param vectorsPerRequest   SIP-Number-Auth-Items asked per MAR; more than one is useful only with the cache
 * @param vectorCacheTtl      how long extra vectors are kept; zero: no cache (every authentication makes a MAR)
 * @param vectorCacheMaxKeys  bound of the cache in (IMSI, scheme, network name) keys
 * @param sendSar             whether registered()/deregistered() send a SAR
 * @param requestTimeout      per-request Diameter timeout
 */
public record SwxSettings(String hssRealm, String hssHost, boolean hssDerivesCkIkPrime, int vectorsPerRequest,
                          Duration vectorCacheTtl, int vectorCacheMaxKeys, boolean sendSar, Duration requestTimeout) {

    public static final String DEFAULT_REALM = "epc.mnc001.mcc001.3gppnetwork.org";

    public SwxSettings {
        if (hssRealm == null || hssRealm.isBlank()) {
            throw new IllegalArgumentException("hssRealm is required");
        }
        hssHost = hssHost == null || hssHost.isBlank() ? null : hssHost.strip();
        if (vectorsPerRequest < 1 || vectorsPerRequest > 32) {
            throw new IllegalArgumentException("vectorsPerRequest must be 1 to 32, not " + vectorsPerRequest);
        }
        if (vectorCacheTtl == null || vectorCacheTtl.isNegative()) {
            throw new IllegalArgumentException("vectorCacheTtl must be zero or positive");
        }
        if (vectorCacheMaxKeys < 1) {
            throw new IllegalArgumentException("vectorCacheMaxKeys must be positive");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    /** Defaults: one vector per MAR, no cache, SAR on, 2 s timeout, the HSS derives CK'/IK'. */
    public static SwxSettings defaults(String hssRealm) {
        return new SwxSettings(hssRealm, null, true, 1, Duration.ZERO, 10_000, true, Duration.ofMillis(2000));
    }

    public boolean cacheEnabled() {
        return vectorsPerRequest > 1 && !vectorCacheTtl.isZero();
    }

    /** Without a cache the extra vectors would be thrown away (and their SQNs burnt at the HSS): ask for one. */
    public int itemsPerMar() {
        return cacheEnabled() ? vectorsPerRequest : 1;
    }

    public SwxSettings withHssHost(String host) {
        return new SwxSettings(hssRealm, host, hssDerivesCkIkPrime, vectorsPerRequest, vectorCacheTtl,
                vectorCacheMaxKeys, sendSar, requestTimeout);
    }

    public SwxSettings withHssDerivesCkIkPrime(boolean v) {
        return new SwxSettings(hssRealm, hssHost, v, vectorsPerRequest, vectorCacheTtl, vectorCacheMaxKeys, sendSar,
                requestTimeout);
    }

    public SwxSettings withCache(int perRequest, Duration ttl) {
        return new SwxSettings(hssRealm, hssHost, hssDerivesCkIkPrime, perRequest, ttl, vectorCacheMaxKeys, sendSar,
                requestTimeout);
    }

    public SwxSettings withSendSar(boolean v) {
        return new SwxSettings(hssRealm, hssHost, hssDerivesCkIkPrime, vectorsPerRequest, vectorCacheTtl,
                vectorCacheMaxKeys, v, requestTimeout);
    }

    public SwxSettings withRequestTimeout(Duration t) {
        return new SwxSettings(hssRealm, hssHost, hssDerivesCkIkPrime, vectorsPerRequest, vectorCacheTtl,
                vectorCacheMaxKeys, sendSar, t);
    }
}
