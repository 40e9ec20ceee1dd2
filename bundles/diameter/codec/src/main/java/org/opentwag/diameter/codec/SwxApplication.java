package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.AvpFormat.DIAMETER_IDENTITY;
import static org.opentwag.diameter.codec.AvpFormat.ENUMERATED;
import static org.opentwag.diameter.codec.AvpFormat.GROUPED;
import static org.opentwag.diameter.codec.AvpFormat.OCTET_STRING;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED32;
import static org.opentwag.diameter.codec.AvpFormat.UTF8_STRING;
import static org.opentwag.diameter.codec.BaseProtocol.ietf;
import static org.opentwag.diameter.codec.BaseProtocol.tgpp;

import java.util.List;

/**
 * The SWx application between the 3GPP AAA server and the HSS (3GPP TS 29.273 clause 8; AVPs of
 * TS 29.229, TS 29.272, TS 29.212). Codes, types and flags as listed in {@code vectors/diameter-swx.json};
 * where dictionaries disagree (TWAN-Access-Info, 3GPP-Charging-Characteristics, RAT-Type) the 'M' bit
 * follows the freeDiameter column of that file. Advertised in CER as
 * Vendor-Specific-Application-Id { Vendor-Id 10415, Auth-Application-Id 16777265 }.
 */
public final class SwxApplication {
    private SwxApplication() {
    }

    public static final long APPLICATION_ID = 16777265;
    public static final int VENDOR_ID = Vendors.THREE_GPP;

    // Command codes (TS 29.273 8.2.2)
    public static final int SERVER_ASSIGNMENT = 301;
    public static final int MULTIMEDIA_AUTH = 303;
    public static final int REGISTRATION_TERMINATION = 304;
    public static final int PUSH_PROFILE = 305;

    /** SIP-Authentication-Scheme values on SWx (TS 29.273 8.1.2.1); the apostrophe is ASCII 0x27. */
    public static final String SCHEME_EAP_AKA = "EAP-AKA";
    public static final String SCHEME_EAP_AKA_PRIME = "EAP-AKA'";
    /** The access network identity of a trusted WLAN (hostapd fixes the AKA' network name to it). */
    public static final String ANID_WLAN = "WLAN";

    public static final AvpDefinition SIP_NUMBER_AUTH_ITEMS = tgpp("SIP-Number-Auth-Items", 607, UNSIGNED32, true);
    public static final AvpDefinition SIP_AUTH_DATA_ITEM = tgpp("SIP-Auth-Data-Item", 612, GROUPED, true);
    public static final AvpDefinition SIP_ITEM_NUMBER = tgpp("SIP-Item-Number", 613, UNSIGNED32, true);
    public static final AvpDefinition SIP_AUTHENTICATION_SCHEME = tgpp("SIP-Authentication-Scheme", 608, UTF8_STRING, true);
    public static final AvpDefinition SIP_AUTHENTICATE = tgpp("SIP-Authenticate", 609, OCTET_STRING, true);
    public static final AvpDefinition SIP_AUTHORIZATION = tgpp("SIP-Authorization", 610, OCTET_STRING, true);
    public static final AvpDefinition CONFIDENTIALITY_KEY = tgpp("Confidentiality-Key", 625, OCTET_STRING, true);
    public static final AvpDefinition INTEGRITY_KEY = tgpp("Integrity-Key", 626, OCTET_STRING, true);
    public static final AvpDefinition SERVER_ASSIGNMENT_TYPE = tgpp("Server-Assignment-Type", 614, ENUMERATED, true);
    public static final AvpDefinition DEREGISTRATION_REASON = tgpp("Deregistration-Reason", 615, GROUPED, true);
    public static final AvpDefinition REASON_CODE = tgpp("Reason-Code", 616, ENUMERATED, true);
    public static final AvpDefinition REASON_INFO = tgpp("Reason-Info", 617, UTF8_STRING, true);
    public static final AvpDefinition VISITED_NETWORK_IDENTIFIER = tgpp("Visited-Network-Identifier", 600, OCTET_STRING, true);
    public static final AvpDefinition SUPPORTED_FEATURES = tgpp("Supported-Features", 628, GROUPED, false);
    public static final AvpDefinition FEATURE_LIST_ID = tgpp("Feature-List-ID", 629, UNSIGNED32, false);
    public static final AvpDefinition FEATURE_LIST = tgpp("Feature-List", 630, UNSIGNED32, false);
    public static final AvpDefinition NON_THREE_GPP_USER_DATA = tgpp("Non-3GPP-User-Data", 1500, GROUPED, true);
    public static final AvpDefinition NON_THREE_GPP_IP_ACCESS = tgpp("Non-3GPP-IP-Access", 1501, ENUMERATED, true);
    public static final AvpDefinition NON_THREE_GPP_IP_ACCESS_APN = tgpp("Non-3GPP-IP-Access-APN", 1502, ENUMERATED, true);
    public static final AvpDefinition AN_TRUSTED = tgpp("AN-Trusted", 1503, ENUMERATED, true);
    public static final AvpDefinition ANID = tgpp("ANID", 1504, UTF8_STRING, true);
    public static final AvpDefinition TRACE_INFO = tgpp("Trace-Info", 1505, GROUPED, false);
    public static final AvpDefinition PPR_FLAGS = tgpp("PPR-Flags", 1508, UNSIGNED32, false);
    public static final AvpDefinition TWAN_ACCESS_INFO = tgpp("TWAN-Access-Info", 1510, GROUPED, false);
    public static final AvpDefinition ACCESS_AUTHORIZATION_FLAGS = tgpp("Access-Authorization-Flags", 1511, UNSIGNED32, false);
    public static final AvpDefinition TWAN_DEFAULT_APN_CONTEXT_ID = tgpp("TWAN-Default-APN-Context-Id", 1512, UNSIGNED32, false);
    public static final AvpDefinition AAA_FAILURE_INDICATION = tgpp("AAA-Failure-Indication", 1518, UNSIGNED32, false);
    public static final AvpDefinition EMERGENCY_SERVICES = tgpp("Emergency-Services", 1538, UNSIGNED32, false);
    public static final AvpDefinition ERP_AUTHORIZATION = tgpp("ERP-Authorization", 1541, UNSIGNED32, false);
    public static final AvpDefinition THREE_GPP_AAA_SERVER_NAME = tgpp("3GPP-AAA-Server-Name", 318, DIAMETER_IDENTITY, true);
    public static final AvpDefinition RAT_TYPE = tgpp("RAT-Type", 1032, ENUMERATED, false);
    public static final AvpDefinition CONTEXT_IDENTIFIER = tgpp("Context-Identifier", 1423, UNSIGNED32, true);
    public static final AvpDefinition APN_CONFIGURATION = tgpp("APN-Configuration", 1430, GROUPED, true);
    public static final AvpDefinition TERMINAL_INFORMATION = tgpp("Terminal-Information", 1401, GROUPED, true);
    public static final AvpDefinition APN_OI_REPLACEMENT = tgpp("APN-OI-Replacement", 1427, UTF8_STRING, true);
    public static final AvpDefinition AMBR = tgpp("AMBR", 1435, GROUPED, true);
    public static final AvpDefinition MAX_REQUESTED_BANDWIDTH_UL = tgpp("Max-Requested-Bandwidth-UL", 516, UNSIGNED32, true);
    public static final AvpDefinition MAX_REQUESTED_BANDWIDTH_DL = tgpp("Max-Requested-Bandwidth-DL", 515, UNSIGNED32, true);
    public static final AvpDefinition PDN_TYPE = tgpp("PDN-Type", 1456, ENUMERATED, true);
    public static final AvpDefinition EPS_SUBSCRIBED_QOS_PROFILE = tgpp("EPS-Subscribed-QoS-Profile", 1431, GROUPED, true);
    public static final AvpDefinition THREE_GPP_CHARGING_CHARACTERISTICS = tgpp("3GPP-Charging-Characteristics", 13, UTF8_STRING, true);
    public static final AvpDefinition UE_USAGE_TYPE = tgpp("UE-Usage-Type", 1680, UNSIGNED32, false);
    public static final AvpDefinition EMERGENCY_INFO = tgpp("Emergency-Info", 1687, GROUPED, false);
    public static final AvpDefinition CORE_NETWORK_RESTRICTIONS = tgpp("Core-Network-Restrictions", 1704, UNSIGNED32, false);
    public static final AvpDefinition MSISDN = tgpp("MSISDN", 701, OCTET_STRING, true);
    public static final AvpDefinition SERVICE_SELECTION = ietf("Service-Selection", 493, UTF8_STRING, true);
    public static final AvpDefinition MIP6_AGENT_INFO = ietf("MIP6-Agent-Info", 486, GROUPED, true);
    /**
     * Access-Network-Information (TS 32.299, code 1263): not an SWx AVP, but one public HSS reads the ANID
     * from this code instead of 1504. Known here so such a message decodes and the mismatch can be logged.
     */
    public static final AvpDefinition ACCESS_NETWORK_INFORMATION = tgpp("Access-Network-Information", 1263, OCTET_STRING, true);
    public static final AvpDefinition SUBSCRIPTION_ID = CreditControlApplication.SUBSCRIPTION_ID;
    public static final AvpDefinition SUBSCRIPTION_ID_TYPE = CreditControlApplication.SUBSCRIPTION_ID_TYPE;
    public static final AvpDefinition SUBSCRIPTION_ID_DATA = CreditControlApplication.SUBSCRIPTION_ID_DATA;

    /** Server-Assignment-Type (TS 29.229 6.3.15). */
    public static final class ServerAssignmentType {
        private ServerAssignmentType() {
        }

        public static final int NO_ASSIGNMENT = 0;
        public static final int REGISTRATION = 1;
        public static final int RE_REGISTRATION = 2;
        public static final int UNREGISTERED_USER = 3;
        public static final int TIMEOUT_DEREGISTRATION = 4;
        public static final int USER_DEREGISTRATION = 5;
        public static final int TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME = 6;
        public static final int USER_DEREGISTRATION_STORE_SERVER_NAME = 7;
        public static final int ADMINISTRATIVE_DEREGISTRATION = 8;
        public static final int AUTHENTICATION_FAILURE = 9;
        public static final int AUTHENTICATION_TIMEOUT = 10;
        public static final int DEREGISTRATION_TOO_MUCH_DATA = 11;
        public static final int AAA_USER_DATA_REQUEST = 12;
        public static final int PGW_UPDATE = 13;
        public static final int RESTORATION = 14;
    }

    /** Reason-Code inside Deregistration-Reason (TS 29.229 6.3.17). */
    public static final class ReasonCode {
        private ReasonCode() {
        }

        public static final int PERMANENT_TERMINATION = 0;
        public static final int NEW_SERVER_ASSIGNED = 1;
        public static final int SERVER_CHANGE = 2;
        public static final int REMOVE_S_CSCF = 3;
    }

    /** RAT-Type (TS 29.212). */
    public static final class RatType {
        private RatType() {
        }

        public static final int WLAN = 0;
        public static final int VIRTUAL = 1;
        public static final int UTRAN = 1000;
        public static final int GERAN = 1001;
        public static final int GAN = 1002;
        public static final int HSPA_EVOLUTION = 1003;
        public static final int EUTRAN = 1004;
        public static final int EUTRAN_NB_IOT = 1005;
        public static final int NG_RAN = 1006;
        public static final int CDMA2000_1X = 2000;
        public static final int HRPD = 2001;
        public static final int UMB = 2002;
        public static final int EHRPD = 2003;
    }

    /** Non-3GPP-IP-Access (TS 29.273). */
    public static final class Non3gppIpAccess {
        private Non3gppIpAccess() {
        }

        public static final int NON_3GPP_SUBSCRIPTION_ALLOWED = 0;
        public static final int NON_3GPP_SUBSCRIPTION_BARRED = 1;
    }

    /** Non-3GPP-IP-Access-APN (TS 29.273). */
    public static final class Non3gppIpAccessApn {
        private Non3gppIpAccessApn() {
        }

        public static final int NON_3GPP_APNS_ENABLE = 0;
        public static final int NON_3GPP_APNS_DISABLE = 1;
    }

    /** AN-Trusted (TS 29.273). */
    public static final class AnTrusted {
        private AnTrusted() {
        }

        public static final int TRUSTED = 0;
        public static final int UNTRUSTED = 1;
    }

    /** ERP-Authorization (TS 29.273). */
    public static final class ErpAuthorization {
        private ErpAuthorization() {
        }

        public static final int ERP_NOT_AUTHORIZED = 0;
        public static final int ERP_AUTHORIZED = 1;
    }

    static List<AvpDefinition> avps() {
        return List.of(SIP_NUMBER_AUTH_ITEMS, SIP_AUTH_DATA_ITEM, SIP_ITEM_NUMBER, SIP_AUTHENTICATION_SCHEME, SIP_AUTHENTICATE, SIP_AUTHORIZATION, CONFIDENTIALITY_KEY, INTEGRITY_KEY, SERVER_ASSIGNMENT_TYPE, DEREGISTRATION_REASON, REASON_CODE, REASON_INFO, VISITED_NETWORK_IDENTIFIER, SUPPORTED_FEATURES, FEATURE_LIST_ID, FEATURE_LIST, NON_THREE_GPP_USER_DATA, NON_THREE_GPP_IP_ACCESS, NON_THREE_GPP_IP_ACCESS_APN, AN_TRUSTED, ANID, TRACE_INFO, PPR_FLAGS, TWAN_ACCESS_INFO, ACCESS_AUTHORIZATION_FLAGS, TWAN_DEFAULT_APN_CONTEXT_ID, AAA_FAILURE_INDICATION, EMERGENCY_SERVICES, ERP_AUTHORIZATION, THREE_GPP_AAA_SERVER_NAME, RAT_TYPE, CONTEXT_IDENTIFIER, APN_CONFIGURATION, TERMINAL_INFORMATION, APN_OI_REPLACEMENT, AMBR, MAX_REQUESTED_BANDWIDTH_UL, MAX_REQUESTED_BANDWIDTH_DL, PDN_TYPE, EPS_SUBSCRIBED_QOS_PROFILE, THREE_GPP_CHARGING_CHARACTERISTICS, UE_USAGE_TYPE, EMERGENCY_INFO, CORE_NETWORK_RESTRICTIONS, MSISDN, SERVICE_SELECTION, MIP6_AGENT_INFO, ACCESS_NETWORK_INFORMATION);
    }

    static List<CommandDefinition> commands() {
        return List.of(
                new CommandDefinition("Server-Assignment", SERVER_ASSIGNMENT, "SAR", "SAA", true),
                new CommandDefinition("Multimedia-Authentication", MULTIMEDIA_AUTH, "MAR", "MAA", true),
                new CommandDefinition("Registration-Termination", REGISTRATION_TERMINATION, "RTR", "RTA", true),
                new CommandDefinition("Push-Profile", PUSH_PROFILE, "PPR", "PPA", true));
    }
}
