package org.opentwag.eap.simaka.identity;

import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

import org.opentwag.support.simaka.PeerIdentity;
import org.opentwag.api.state.StateStore;
import org.opentwag.eap.simaka.protocol.SimAkaMethod;

/**
 * The pseudonyms and fast re-authentication identities of EAP-SIM, EAP-AKA and EAP-AKA' (hostapd's eap_sim_db):
 * minting them with the method's prefix, finding the IMSI behind a pseudonym, taking a re-authentication context
 * (single use), and, after a successful exchange, making the announced identities valid and forgetting the ones
 * handed out before. The three methods share the maps: the prefix tells their identities apart, and a context names
 * its method's EAP type.
 *
 * <p>Without a {@link StateStore} (none deployed yet) nothing is kept: every lookup misses, so peers fall back to full
 * authentication with their permanent identity.
 */
public final class IdentityStore {

    /** StateStore maps. Their names predate EAP-SIM and stay, so entries survive an upgrade. */
    public static final String PSEUDONYM_MAP = "aka.pseudonym";
    public static final String REAUTH_MAP = "aka.reauth";
    /** IMSI|method type → the identities last handed out ("pseudonym\nreauth-id", either empty). */
    public static final String ISSUED_MAP = "aka.issued";

    private final Supplier<StateStore> store;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param store    the state store, or a supplier of null while there is none
     * @param lifetime how long a pseudonym and a re-authentication identity stay valid
     */
    public IdentityStore(Supplier<StateStore> store, Duration lifetime) {
        this.store = store;
        this.lifetime = lifetime;
    }

    /** Whether identities can be kept at all (a state store is there). */
    public boolean available() {
        return store.get() != null;
    }

    /** A fresh pseudonym for the method: its prefix, then 20 random hex digits (no realm, RFC 4187 4.1.1.7). */
    public String newPseudonym(SimAkaMethod method) {
        return method.pseudonymPrefix() + HexFormat.of().formatHex(randomBytes(10));
    }

    /**
     * A fresh fast re-authentication identity for the method: its prefix, 20 random hex digits, and {@code @realm}
     * unless the realm is empty (RFC 4187 4.1.1.7: a re-authentication identity may carry a realm).
     */
    public String newReauthIdentity(SimAkaMethod method, String realm) {
        String user = method.reauthPrefix() + HexFormat.of().formatHex(randomBytes(10));
        return realm == null || realm.isEmpty() ? user : user + "@" + realm;
    }

    /** The IMSI behind a pseudonym (its realm ignored), or null when unknown or no store is there. */
    public String imsiOfPseudonym(PeerIdentity pseudonym) {
        StateStore s = store.get();
        if (s == null) {
            return null;
        }
        String raw = pseudonym.raw();
        int at = raw.indexOf('@');
        return s.get(PSEUDONYM_MAP, at < 0 ? raw : raw.substring(0, at), String.class);
    }

    /**
     * Takes the context of a re-authentication identity out of the store: single use, so a replayed identity finds
     * nothing (RFC 4187 5.4). Null when unknown, unreadable, or no store is there.
     */
    public ReauthContext takeReauth(String reauthIdentity) {
        StateStore s = store.get();
        if (s == null) {
            return null;
        }
        return ReauthContext.decode(s.remove(REAUTH_MAP, reauthIdentity, Serializable.class));
    }

    /**
     * After a successful exchange: the identities announced in it become valid (either may be null: not announced),
     * the ones handed out to this subscriber for this method before are forgotten. A store that is full is logged by
     * the caller; nothing here throws for it.
     *
     * @param reauthIdentity the re-authentication identity announced, kept with {@code context}
     * @throws IllegalStateException when the store refuses the entries (full)
     */
    public void commit(String imsi, SimAkaMethod method, String pseudonym, String reauthIdentity,
                       ReauthContext context) {
        StateStore s = store.get();
        if (s == null) {
            return;
        }
        retirePrevious(s, imsi, method, pseudonym, reauthIdentity);
        if (pseudonym != null) {
            s.put(PSEUDONYM_MAP, pseudonym, imsi, lifetime);
        }
        if (reauthIdentity != null && context != null) {
            s.put(REAUTH_MAP, reauthIdentity, context.encode(), lifetime);
        }
    }

    /**
     * The peer keeps only the identities of its latest successful exchange (RFC 4187 4.1.1.7, 5.4), so the ones handed
     * out before are forgotten. A peer that missed the EAP-Success and still offers an old one is asked for its
     * permanent identity (pseudonym) or gets a full authentication (re-authentication identity), as for any unknown
     * identity. Without this the maps grow by one entry per authentication for the whole identity lifetime (12 h):
     * millions of entries, and a full heap, under sustained load.
     */
    private void retirePrevious(StateStore s, String imsi, SimAkaMethod method, String pseudonym, String reauth) {
        String key = imsi + '|' + method.eapType();
        // Both announced (a full authentication): one swap. Otherwise the one not announced stays in force, so the
        // entry is read first.
        boolean both = pseudonym != null && reauth != null;
        String previous = both ? s.swap(ISSUED_MAP, key, pseudonym + '\n' + reauth, lifetime, String.class)
                : s.get(ISSUED_MAP, key, String.class);
        int nl = previous == null ? -1 : previous.indexOf('\n');
        String oldPseudonym = previous == null ? "" : nl < 0 ? previous : previous.substring(0, nl);
        String oldReauth = nl < 0 ? "" : previous.substring(nl + 1);
        // An exchange that hands out no new pseudonym (a fast re-authentication) leaves the current one in force.
        String pseudonymNow = pseudonym != null ? pseudonym : oldPseudonym;
        String reauthNow = reauth != null ? reauth : oldReauth;
        if (!both) {
            s.put(ISSUED_MAP, key, pseudonymNow + '\n' + reauthNow, lifetime);
        }
        if (!oldPseudonym.isEmpty() && !oldPseudonym.equals(pseudonymNow)) {
            s.remove(PSEUDONYM_MAP, oldPseudonym, String.class);
        }
        if (!oldReauth.isEmpty() && !oldReauth.equals(reauthNow)) {
            s.remove(REAUTH_MAP, oldReauth, Serializable.class);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
