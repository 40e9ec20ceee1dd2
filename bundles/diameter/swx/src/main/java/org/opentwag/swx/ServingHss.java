package org.opentwag.swx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which HSS serves each subscriber, learnt from the Origin-Host of its last successful MAA (TS 29.273 8.2.2.1/8.2.2.3:
 * Destination-Host is present when the 3GPP AAA server knows the HSS). With several HSSs behind a DRA the first MAR
 * of a subscriber goes by Destination-Realm only; its later MARs and SARs name the HSS that answered, so they reach
 * the same HSS through the relay. A request to a learnt HSS that fails without an answer forgets it (the next one
 * goes by realm again). Bounded: the least recently used subscribers are forgotten first.
 */
final class ServingHss {
    private final Map<String, String> byImsi;

    ServingHss(int maxSubscribers) {
        this.byImsi = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxSubscribers;
            }
        };
    }

    synchronized Optional<String> of(String imsi) {
        return Optional.ofNullable(byImsi.get(imsi));
    }

    synchronized void learnt(String imsi, String hssHost) {
        byImsi.put(imsi, hssHost);
    }

    synchronized void forget(String imsi) {
        byImsi.remove(imsi);
    }

    synchronized void forget(String imsi, String hssHost) {
        byImsi.remove(imsi, hssHost);
    }
}
