package org.opentwag.api.vectors;

import java.io.Serializable;
import java.util.List;

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
 */
public record Non3gppUserData(IpAccess ipAccess, ApnAccess apnAccess, String msisdn, Ambr ambr, Long defaultContextId,
                              List<ApnConfiguration> apns) implements Serializable {

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

    /** One APN-Configuration (TS 29.272 7.3.35): Context-Identifier, Service-Selection (the APN) and its AMBR. */
    public record ApnConfiguration(long contextId, String serviceSelection, Ambr ambr) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public Non3gppUserData {
        ipAccess = ipAccess == null ? IpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED : ipAccess;
        apnAccess = apnAccess == null ? ApnAccess.NON_3GPP_APNS_ENABLE : apnAccess;
        apns = apns == null ? List.of() : List.copyOf(apns);
    }

    /** Access allowed, nothing else known (an SAA without Non-3GPP-User-Data). */
    public static Non3gppUserData allowed() {
        return new Non3gppUserData(null, null, null, null, null, List.of());
    }

    /** Whether the subscriber may not use non-3GPP access now: the subscription or every APN is barred. */
    public boolean barred() {
        return ipAccess == IpAccess.NON_3GPP_SUBSCRIPTION_BARRED || apnAccess == ApnAccess.NON_3GPP_APNS_DISABLE;
    }

    /** The MSISDN is personal data: logs say only whether there is one. */
    @Override
    public String toString() {
        return "Non3gppUserData[" + ipAccess + ", " + apnAccess + ", MSISDN " + (msisdn != null ? "present" : "absent")
                + (ambr != null ? ", AMBR " + ambr : "") + ", " + apns.size() + " APN configuration(s)]";
    }
}
