package org.opentwag.swx;

import static org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.AUTH_SESSION_STATE;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.SESSION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.USER_NAME;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_ID;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID;
import static org.opentwag.diameter.codec.SwxApplication.ANID;
import static org.opentwag.diameter.codec.SwxApplication.CONFIDENTIALITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.INTEGRITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.NON_THREE_GPP_IP_ACCESS;
import static org.opentwag.diameter.codec.SwxApplication.NON_THREE_GPP_IP_ACCESS_APN;
import static org.opentwag.diameter.codec.SwxApplication.NON_THREE_GPP_USER_DATA;
import static org.opentwag.diameter.codec.SwxApplication.RAT_TYPE;
import static org.opentwag.diameter.codec.SwxApplication.SERVER_ASSIGNMENT_TYPE;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATE;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATION_SCHEME;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHORIZATION;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTH_DATA_ITEM;
import static org.opentwag.diameter.codec.SwxApplication.SIP_ITEM_NUMBER;
import static org.opentwag.diameter.codec.SwxApplication.SIP_NUMBER_AUTH_ITEMS;
import static org.opentwag.diameter.codec.SwxApplication.SUBSCRIPTION_ID;
import static org.opentwag.diameter.codec.SwxApplication.SUBSCRIPTION_ID_DATA;
import static org.opentwag.diameter.codec.SwxApplication.SUBSCRIPTION_ID_TYPE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol.AuthSessionState;
import org.opentwag.diameter.codec.CreditControlApplication.SubscriptionIdType;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.SwxApplication.RatType;
import org.opentwag.milenage.AkaPrimeKeys;

/**
 * SWx messages as TS 29.273 clause 8 and the HSSs of interop.md expect them: MAR and SAR built here, MAA vectors and
 * SAA user data read here. Plain Java (no OSGi, no I/O) so the wire format is testable on its own.
 */
public final class SwxMessages {

    /** Length of RAND || AUTS in the SIP-Authorization of a resynchronisation MAR (TS 33.102 6.3.5). */
    public static final int RESYNC_INFO_LENGTH = 16 + 14;

    private SwxMessages() {
    }

    // Made once: an Avp is immutable, and every SWx message carries these two.
    private static final Avp SWX_APPLICATION_ID = Avp.grouped(VENDOR_SPECIFIC_APPLICATION_ID,
            Avp.unsigned32(VENDOR_ID, SwxApplication.VENDOR_ID),
            Avp.unsigned32(AUTH_APPLICATION_ID, SwxApplication.APPLICATION_ID));
    private static final Avp NO_STATE_MAINTAINED = Avp.enumerated(AUTH_SESSION_STATE, AuthSessionState.NO_STATE_MAINTAINED);

    /** Vendor-Specific-Application-Id { Vendor-Id 10415, Auth-Application-Id 16777265 }, in every SWx message. */
    public static Avp swxApplicationId() {
        return SWX_APPLICATION_ID;
    }

    /** Auth-Session-State NO_STATE_MAINTAINED, in every SWx message. */
    public static Avp noStateMaintained() {
        return NO_STATE_MAINTAINED;
    }

    /** The network name CK'/IK' are bound to: the request's, or "WLAN" (trusted WLAN access). */
    public static String networkName(VectorRequest request) {
        String name = request.accessNetworkName();
        return name == null || name.isBlank() ? SwxApplication.ANID_WLAN : name;
    }

    /**
     * Multimedia-Auth-Request.
     *
     * @param items      SIP-Number-Auth-Items
     * @param resyncInfo RAND || AUTS for a resynchronisation, else null
     */
    public static DiameterMessage multimediaAuthRequest(String sessionId, SwxSettings settings, VectorRequest request,
                                                        int items, byte[] resyncInfo) {
        List<Avp> item = new ArrayList<>(2);
        item.add(Avp.utf8(SIP_AUTHENTICATION_SCHEME, request.scheme().wireName()));
        if (resyncInfo != null) {
            if (resyncInfo.length != RESYNC_INFO_LENGTH) {
                throw new IllegalArgumentException("RAND || AUTS must be 30 bytes, not " + resyncInfo.length);
            }
            item.add(Avp.octets(SIP_AUTHORIZATION, resyncInfo));
        }
        DiameterMessage.Builder b = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(SESSION_ID, sessionId))
                .add(swxApplicationId())
                .add(NO_STATE_MAINTAINED)
                .add(Avp.identity(DESTINATION_REALM, settings.hssRealm()));
        if (settings.hssHost() != null) {
            b.add(Avp.identity(DESTINATION_HOST, settings.hssHost()));
        }
        b.add(Avp.utf8(USER_NAME, request.imsi()))
                .add(Avp.enumerated(RAT_TYPE, RatType.WLAN));
        if (request.scheme() == AuthScheme.EAP_AKA_PRIME) {
            // 1504, not 1263 (Access-Network-Information of TS 32.299) that one HSS fork reads: see interop.md.
            b.add(Avp.utf8(ANID, networkName(request)));
        }
        return b.add(Avp.unsigned32(SIP_NUMBER_AUTH_ITEMS, items))
                .add(Avp.grouped(SIP_AUTH_DATA_ITEM, item))
                .build();
    }

    /** Server-Assignment-Request with the given Server-Assignment-Type (TS 29.229 6.3.15 values). */
    public static DiameterMessage serverAssignmentRequest(String sessionId, SwxSettings settings, String imsi,
                                                          int assignmentType) {
        DiameterMessage.Builder b = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.SERVER_ASSIGNMENT)
                .add(Avp.utf8(SESSION_ID, sessionId))
                .add(swxApplicationId())
                .add(NO_STATE_MAINTAINED)
                .add(Avp.identity(DESTINATION_REALM, settings.hssRealm()));
        if (settings.hssHost() != null) {
            b.add(Avp.identity(DESTINATION_HOST, settings.hssHost()));
        }
        return b.add(Avp.utf8(USER_NAME, imsi))
                .add(Avp.enumerated(SERVER_ASSIGNMENT_TYPE, assignmentType))
                .build();
    }

    /** A MAA (or SAA) that says success but cannot be used. */
    public static final class MalformedAnswerException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedAnswerException(String message) {
            super(message);
        }
    }

    /**
     * The vectors of a successful MAA, in SIP-Item-Number order.
     *
     * @param deriveCkIkPrime for EAP-AKA': the HSS sent plain CK/IK, derive CK'/IK' with {@code networkName}
     */
    public static List<AuthVector> vectors(DiameterMessage maa, AuthScheme scheme, String networkName,
                                           boolean deriveCkIkPrime) throws MalformedAnswerException {
        List<Avp> items = maa.findAll(SIP_AUTH_DATA_ITEM); // a new list, ours to sort
        if (items.isEmpty()) {
            throw new MalformedAnswerException("MAA has no SIP-Auth-Data-Item");
        }
        try {
            if (items.size() > 1) {
                items.sort(Comparator.comparingLong(i -> i.memberUnsigned32(SIP_ITEM_NUMBER, 0L)));
            }
            List<AuthVector> vectors = new ArrayList<>(items.size());
            for (Avp item : items) {
                vectors.add(vector(item, scheme, networkName, deriveCkIkPrime));
            }
            return vectors;
        } catch (RuntimeException e) {
            // The codec throws DiameterDecodeException for a value of the wrong size; AuthVector checks lengths.
            throw new MalformedAnswerException("MAA SIP-Auth-Data-Item unusable: " + e.getMessage());
        }
    }

    private static AuthVector vector(Avp item, AuthScheme scheme, String networkName, boolean deriveCkIkPrime)
            throws MalformedAnswerException {
        // Member getters: the item's members are read in place, without an object each.
        String itemScheme = item.memberUtf8(SIP_AUTHENTICATION_SCHEME);
        if (itemScheme != null && !itemScheme.equals(scheme.wireName())) {
            throw new MalformedAnswerException("MAA item is for " + itemScheme + ", asked " + scheme.wireName());
        }
        byte[] randAutn = required(item, SIP_AUTHENTICATE, "SIP-Authenticate");
        if (randAutn.length != 32) {
            throw new MalformedAnswerException("SIP-Authenticate must be RAND || AUTN (32 bytes), not "
                    + randAutn.length + " bytes");
        }
        byte[] xres = required(item, SIP_AUTHORIZATION, "SIP-Authorization (XRES)");
        byte[] ck = required(item, CONFIDENTIALITY_KEY, "Confidentiality-Key");
        byte[] ik = required(item, INTEGRITY_KEY, "Integrity-Key");
        byte[] rand = Arrays.copyOfRange(randAutn, 0, 16);
        byte[] autn = Arrays.copyOfRange(randAutn, 16, 32);
        if (scheme == AuthScheme.EAP_AKA_PRIME && deriveCkIkPrime) {
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ck, ik, networkName, Arrays.copyOfRange(autn, 0, 6));
            Arrays.fill(ck, (byte) 0);
            Arrays.fill(ik, (byte) 0);
            ck = prime[0];
            ik = prime[1];
        }
        return new AuthVector(rand, autn, xres, ck, ik);
    }

    private static byte[] required(Avp item, org.opentwag.diameter.codec.AvpDefinition def, String name)
            throws MalformedAnswerException {
        byte[] octets = item.memberOctets(def);
        if (octets == null) {
            throw new MalformedAnswerException("MAA SIP-Auth-Data-Item lacks " + name);
        }
        return octets;
    }

    /**
     * The Non-3GPP-User-Data of an SAA or PPR (TS 29.273 8.2.3.1), typed; empty when the message has none.
     *
     * @throws IllegalArgumentException (DiameterDecodeException) for a member of the wrong size
     */
    public static Optional<Non3gppUserData> userData(DiameterMessage message) {
        return message.find(NON_THREE_GPP_USER_DATA).map(SwxMessages::userData);
    }

    static Non3gppUserData userData(Avp data) {
        String msisdn = data.findAll(SUBSCRIPTION_ID).stream()
                .filter(id -> id.find(SUBSCRIPTION_ID_TYPE).map(Avp::enumerated)
                        .orElse(-1) == SubscriptionIdType.END_USER_E164)
                .flatMap(id -> id.find(SUBSCRIPTION_ID_DATA).map(Avp::utf8).stream())
                .findFirst()
                .or(() -> data.find(SwxApplication.MSISDN).map(m -> tbcd(m.octets())))
                .orElse(null);
        Non3gppUserData.IpAccess ip = data.find(NON_THREE_GPP_IP_ACCESS).map(a -> switch (a.enumerated()) {
            case SwxApplication.Non3gppIpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED ->
                    Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED;
            // TS 29.273 defines 0 and 1 only: an unknown value is taken as a bar, the safe reading.
            default -> Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED;
        }).orElse(null);
        Non3gppUserData.ApnAccess apn = data.find(NON_THREE_GPP_IP_ACCESS_APN).map(a -> switch (a.enumerated()) {
            case SwxApplication.Non3gppIpAccessApn.NON_3GPP_APNS_ENABLE -> Non3gppUserData.ApnAccess.NON_3GPP_APNS_ENABLE;
            default -> Non3gppUserData.ApnAccess.NON_3GPP_APNS_DISABLE;
        }).orElse(null);
        Non3gppUserData.Ambr ambr = data.find(SwxApplication.AMBR).map(SwxMessages::ambr).orElse(null);
        Long defaultContext = data.find(SwxApplication.CONTEXT_IDENTIFIER).map(Avp::unsigned32).orElse(null);
        List<Non3gppUserData.ApnConfiguration> apns = new ArrayList<>();
        for (Avp c : data.findAll(SwxApplication.APN_CONFIGURATION)) {
            apns.add(new Non3gppUserData.ApnConfiguration(
                    c.find(SwxApplication.CONTEXT_IDENTIFIER).map(Avp::unsigned32).orElse(0L),
                    c.find(SwxApplication.SERVICE_SELECTION).map(Avp::utf8).orElse(""),
                    c.find(SwxApplication.PDN_TYPE).map(t -> Non3gppUserData.PdnType.of(t.enumerated())).orElse(null),
                    c.find(SwxApplication.AMBR).map(SwxMessages::ambr).orElse(null)));
        }
        Long twanDefault = data.find(SwxApplication.TWAN_DEFAULT_APN_CONTEXT_ID).map(Avp::unsigned32).orElse(null);
        return new Non3gppUserData(ip, apn, msisdn, ambr, defaultContext, apns, twanDefault);
    }

    private static Non3gppUserData.Ambr ambr(Avp ambr) {
        return new Non3gppUserData.Ambr(ambr.find(SwxApplication.MAX_REQUESTED_BANDWIDTH_UL).map(Avp::unsigned32).orElse(0L),
                ambr.find(SwxApplication.MAX_REQUESTED_BANDWIDTH_DL).map(Avp::unsigned32).orElse(0L));
    }

    /** MSISDN AVP (TS 29.329 6.3.2): TBCD digits, low nibble first, 0xF filler. */
    static String tbcd(byte[] octets) {
        StringBuilder digits = new StringBuilder(octets.length * 2);
        for (byte b : octets) {
            int lo = b & 0x0F;
            int hi = (b >> 4) & 0x0F;
            if (lo < 10) {
                digits.append((char) ('0' + lo));
            }
            if (hi < 10) {
                digits.append((char) ('0' + hi));
            }
        }
        return digits.toString();
    }

    /** What is wrong with a batch of vectors from one MAA, for logs and the metric label. */
    public enum BatchDefect {
        DUPLICATE_RAND("duplicate_rand"), DUPLICATE_AUTN("duplicate_autn"), DUPLICATE_XRES("duplicate_xres");

        private final String label;

        BatchDefect(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Checks the vectors of one MAA against each other: a repeated RAND, AUTN or XRES means the HSS reused a
     * challenge (a known HSS bug, e.g. pyHSS issue 266), which would let a recorded answer replay. SQN order cannot be
     * checked here: AUTN carries SQN xor AK, and AK depends on RAND and the subscriber's key.
     *
     * @return the first defect found, or empty for a sound batch (or a single vector)
     */
    public static Optional<BatchDefect> batchDefect(List<AuthVector> vectors) {
        if (vectors.size() < 2) {
            return Optional.empty();
        }
        if (repeats(vectors, AuthVector::rand)) {
            return Optional.of(BatchDefect.DUPLICATE_RAND);
        }
        if (repeats(vectors, AuthVector::autn)) {
            return Optional.of(BatchDefect.DUPLICATE_AUTN);
        }
        if (repeats(vectors, AuthVector::xres)) {
            return Optional.of(BatchDefect.DUPLICATE_XRES);
        }
        return Optional.empty();
    }

    private static boolean repeats(List<AuthVector> vectors, java.util.function.Function<AuthVector, byte[]> part) {
        // ByteBuffer compares by content; nothing is copied into a String, so no key material lingers in the heap.
        java.util.Set<java.nio.ByteBuffer> seen = new java.util.HashSet<>();
        for (AuthVector v : vectors) {
            if (!seen.add(java.nio.ByteBuffer.wrap(part.apply(v)))) {
                return true;
            }
        }
        return false;
    }
}
