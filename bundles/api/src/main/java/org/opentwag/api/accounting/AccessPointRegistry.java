package org.opentwag.api.accounting;

import org.opentwag.api.eap.NasContext;

/**
 * Where the authentication side reports the access points it hears from, so an AP that sends no accounting still
 * appears (the guide's "Registered AP: {IP}"). Served by the accounting bundle; callers treat it as optional.
 */
public interface AccessPointRegistry {

    /**
     * @param nasPortType NAS-Port-Type, 0 when absent
     * @param framedMtu   Framed-MTU, 0 when absent
     */
    void seen(NasContext nas, int nasPortType, int framedMtu);
}
