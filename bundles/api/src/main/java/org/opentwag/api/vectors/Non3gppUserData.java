package org.opentwag.api.vectors;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.opentwag.api.state.StateCodec;
import org.opentwag.api.state.StateFormatException;

/**
 * What the home network says about a subscriber's non-3GPP access: the Non-3GPP-User-Data of an SWx SAA or PPR
 * (TS 29.273 8.2.3.1), typed. Kept by the access-session owner with the subscriber's session; never holds key material.
 * Absent AVPs take the values TS 29.273 gives their absence (access allowed, APNs enabled).
 *
 * @param ipAccess         Non-3GPP-IP-Access
 * @param apnAccess        Non-3GPP-IP-Access-APN
 * @param msisdn           the E.164 MSISDN (Subscription-Id or MSISDN AVP), or null
 * @param ambr             the subscriber's AMBR, or null
 * @param defaultContextId Context-Identifier of the default APN configuration, or null
 * @param apns             the APN-Configurations, in the order sent
 * @param twanDefaultContextId TWAN-Default-APN-Context-Id (TS 29.273 8.2.3.18): the APN configuration a TWAN uses by
 *                         default when it differs from the subscriber's default, or null
 */
public record Non3gppUserData(IpAccess ipAccess, ApnAccess apnAccess, String msisdn, Ambr ambr, Long defaultContextId,
                              List<ApnConfiguration> apns, Long twanDefaultContextId) implements Serializable {

    private static final IpAccess[] IP_ACCESS = IpAccess.values();
    private static final ApnAccess[] APN_ACCESS = ApnAccess.values();
    private static final PdnType[] PDN_TYPES = PdnType.values();
    private static final StateCodec<Ambr> AMBR_CODEC = StateCodec.of(Ambr.class,
            (v, out) -> out.putLong(v.uplink()).putLong(v.downlink()),
            in -> new Ambr(in.getLong(), in.getLong()));
    private static final StateCodec<ApnConfiguration> APN_CODEC = StateCodec.of(ApnConfiguration.class,
            (v, out) -> out.putLong(v.contextId()).putString(v.serviceSelection()).putEnum(v.pdnType())
                    .putNullable(v.ambr(), AMBR_CODEC),
            in -> new ApnConfiguration(in.getLong(), in.getString(), in.getEnum(PDN_TYPES),
                    in.getNullable(AMBR_CODEC)));

    /** Its byte form in the state store. */
    public static final StateCodec<Non3gppUserData> CODEC = StateCodec.of(Non3gppUserData.class,
            (v, out) -> {
                out.putEnum(v.ipAccess).putEnum(v.apnAccess).putString(v.msisdn).putNullable(v.ambr, AMBR_CODEC)
                        .putNullableLong(v.defaultContextId).putNullableLong(v.twanDefaultContextId)
                        .putInt(v.apns.size());
                for (ApnConfiguration a : v.apns) {
                    APN_CODEC.write(a, out);
                }
            },
            in -> {
                IpAccess ip = in.getEnum(IP_ACCESS);
                ApnAccess apn = in.getEnum(APN_ACCESS);
                String msisdn = in.getString();
                Ambr ambr = in.getNullable(AMBR_CODEC);
                Long defaultContextId = in.getNullableLong();
                Long twanDefaultContextId = in.getNullableLong();
                int n = in.getInt();
                if (n < 0 || n > in.remaining() / 14) { // an APN configuration takes at least 14 bytes
                    throw new StateFormatException("Non3gppUserData state value: " + n + " APN configurations in "
                            + in.remaining() + " bytes");
                }
                List<ApnConfiguration> apns = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    apns.add(APN_CODEC.read(in));
                }
                return new Non3gppUserData(ip, apn, msisdn, ambr, defaultContextId, apns, twanDefaultContextId);
            });

    private static final long serialVersionUID = 1L;

    /** Non-3GPP-IP-Access (TS 29.273 8.2.3.4). */
    public enum IpAccess { NON_3GPP_SUBSCRIPTION_ALLOWED, NON_3GPP_SUBSCRIPTION_BARRED }

    /** Non-3GPP-IP-Access-APN (TS 29.273 8.2.3.5). */
    public enum ApnAccess { NON_3GPP_APNS_ENABLE, NON_3GPP_APNS_DISABLE }

    /** AMBR (TS 29.272 7.3.41), bits per second. */
    public record Ambr(long uplink, long downlink) implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return "UL " + uplink + " bit/s, DL " + downlink + " bit/s";
        }
    }

    /** PDN-Type (TS 29.272 7.3.62): the IP versions the APN allows. */
    public enum PdnType {
        IPV4, IPV6, IPV4V6, IPV4_OR_IPV6;

        /** The enumerated value (0..3), or null for a value TS 29.272 does not define. */
        public static PdnType of(int value) {
            return value >= 0 && value < values().length ? values()[value] : null;
        }

        /** Whether an IPv4 PDN connection may be opened for an APN of this type. */
        public boolean allowsIpv4() {
            return this != IPV6;
        }
    }

    /**
     * One APN-Configuration (TS 29.272 7.3.35): Context-Identifier, Service-Selection (the APN), PDN-Type (null when
     * absent or unknown) and its AMBR.
     */
    public record ApnConfiguration(long contextId, String serviceSelection, PdnType pdnType, Ambr ambr)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** An APN configuration without a PDN-Type. */
        public ApnConfiguration(long contextId, String serviceSelection, Ambr ambr) {
            this(contextId, serviceSelection, null, ambr);
        }
    }

    public Non3gppUserData {
        ipAccess = ipAccess == null ? IpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED : ipAccess;
        apnAccess = apnAccess == null ? ApnAccess.NON_3GPP_APNS_ENABLE : apnAccess;
        apns = apns == null ? List.of() : List.copyOf(apns);
    }

    /** User data without a TWAN-Default-APN-Context-Id. */
    public Non3gppUserData(IpAccess ipAccess, ApnAccess apnAccess, String msisdn, Ambr ambr, Long defaultContextId,
                           List<ApnConfiguration> apns) {
        this(ipAccess, apnAccess, msisdn, ambr, defaultContextId, apns, null);
    }

    /** Access allowed, nothing else known (an SAA without Non-3GPP-User-Data). */
    public static Non3gppUserData allowed() {
        return new Non3gppUserData(null, null, null, null, null, List.of());
    }

    /**
     * The APN configuration a trusted WLAN uses when the phone names none (TS 23.402 16.2.1: the default APN of the
     * subscription): the one of TWAN-Default-APN-Context-Id, else of Context-Identifier; empty when the HSS named
     * none or named one it did not send.
     */
    public java.util.Optional<ApnConfiguration> defaultApn() {
        Long id = twanDefaultContextId != null ? twanDefaultContextId : defaultContextId;
        if (id == null) {
            return java.util.Optional.empty();
        }
        return apns.stream().filter(a -> a.contextId() == id && !a.serviceSelection().isEmpty()
                // "*" is the wildcard APN (TS 23.003 9.2): any APN is allowed, none is named
                && !"*".equals(a.serviceSelection())).findFirst();
    }

    /** Whether the subscriber may not use non-3GPP access now: the subscription or every APN is barred. */
    public boolean barred() {
        return ipAccess == IpAccess.NON_3GPP_SUBSCRIPTION_BARRED || apnAccess == ApnAccess.NON_3GPP_APNS_DISABLE;
    }

    /** The MSISDN is personal data: logs say only whether there is one. */
    @Override
    public String toString() {
        return "Non3gppUserData[" + ipAccess + ", " + apnAccess + ", MSISDN " + (msisdn != null ? "present" : "absent")
                + (ambr != null ? ", AMBR " + ambr : "") + ", " + apns.size() + " APN configuration(s)"
                + defaultApn().map(a -> ", default APN " + a.serviceSelection()).orElse("") + "]";
    }
}
