package org.opentwag.state.hazelcast;

import java.util.List;

import org.opentwag.api.check.Finding;

/**
 * What the configured cluster key settings mean for this member: values sealed under a key, values in clear
 * (only when the operator asked for it), or no clustered store at all, with what {@code twag:check} should say.
 *
 * <p>Without a key the member does not join: a member in clear would hand XRES and session keys to anyone on the
 * cluster network, and would accept any value written there. The node then keeps its state alone (the in-memory
 * store stays in use), which is safe, and the check says so. {@code allowPlaintext = true} is the explicit way to
 * run without a key (a lab, or a link already inside WireGuard/IPsec) and is reported as unsafe.
 *
 * @param protection how values are protected; null when the clustered store must not start
 * @param problem    why it must not start, or null (never contains a key)
 * @param findings   the safety check's findings for these settings
 */
record LinkProtection(ValueProtection protection, String problem, List<Finding> findings) {

    static final String CFG = "etc/org.opentwag.state.hazelcast.cfg";
    private static final String MAKE_KEY = "put one key, the same on every member, in " + CFG + " as clusterKey = "
            + "$[secret:opentwag-cluster.key] with the file made by: openssl rand -base64 32 > etc/opentwag-cluster.key"
            + " && chmod 600 etc/opentwag-cluster.key";

    static LinkProtection of(String clusterKey, String previousKeys, boolean allowPlaintext) {
        List<ClusterKey> previous;
        try {
            previous = ClusterKey.parseList(previousKeys, "clusterPreviousKeys");
        } catch (IllegalArgumentException bad) {
            return refused(bad.getMessage());
        }
        boolean noKey = clusterKey == null || clusterKey.isBlank();
        if (noKey && allowPlaintext) {
            return new LinkProtection(ValueProtection.PLAINTEXT, null, List.of(Finding.unsafe("cluster",
                    "The cluster link carries XRES and session keys in clear (allowPlaintext = true, no clusterKey): "
                            + "anyone who sees the cluster network reads them, anyone who reaches the cluster port "
                            + "can write state the members believe",
                    MAKE_KEY + ", then remove allowPlaintext")));
        }
        if (noKey) {
            return refused("clusterKey is not set");
        }
        ClusterKey current;
        try {
            current = ClusterKey.parse(clusterKey, "clusterKey");
        } catch (IllegalArgumentException bad) {
            return refused(bad.getMessage());
        }
        SealedValueCipher cipher = new SealedValueCipher(current, previous, allowPlaintext);
        if (allowPlaintext) {
            return new LinkProtection(cipher, null, List.of(Finding.warning("cluster",
                    "allowPlaintext = true beside a clusterKey: values written in clear by a member without the key "
                            + "are accepted, so whoever reaches the cluster port can write state the members believe",
                    "once every member has clusterKey, remove allowPlaintext from " + CFG)));
        }
        return new LinkProtection(cipher, null, List.of());
    }

    private static LinkProtection refused(String problem) {
        return new LinkProtection(null, problem, List.of(Finding.warning("cluster",
                "The clustered state store is installed but not running (" + problem + "): this node keeps its "
                        + "state alone, and a login that moves to another node starts over",
                MAKE_KEY + " (or allowPlaintext = true for a lab, which leaves key material in clear)")));
    }
}
