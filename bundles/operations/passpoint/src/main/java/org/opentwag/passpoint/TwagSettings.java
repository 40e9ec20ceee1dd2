package org.opentwag.passpoint;

import java.util.List;

/**
 * What the TWAG itself is configured with, to check a {@link PasspointProfile} against: the realms it and its HSS
 * use, the EAP methods it serves, the RADIUS client secrets (only compared, never output).
 *
 * @param realms realms in use: Diameter Origin-Realm, SWx hssRealm, the EAP-AKA identity realm (empty ones ignored)
 * @param radiusSecrets the shared secrets of the RADIUS client groups, to recognise one pasted as the reference
 */
public record TwagSettings(List<String> realms, boolean akaEnabled, boolean akaPrimeEnabled,
        List<String> radiusSecrets) {

    public TwagSettings {
        realms = realms == null ? List.of() : realms.stream().filter(r -> r != null && !r.isBlank()).map(String::trim).toList();
        radiusSecrets = radiusSecrets == null ? List.of() : List.copyOf(radiusSecrets);
    }

    /** Nothing known about the TWAG: checks the profile alone. */
    public static TwagSettings unknown() {
        return new TwagSettings(List.of(), true, true, List.of());
    }

    @Override
    public String toString() {
        return "TwagSettings[realms=" + realms + ", aka=" + akaEnabled + ", akaPrime=" + akaPrimeEnabled
                + ", radiusSecrets=" + radiusSecrets.size() + " (not shown)]";
    }
}
