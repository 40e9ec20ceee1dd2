package org.opentwag.radius.codec;

import static org.opentwag.radius.codec.AttributeDataType.INTEGER;
import static org.opentwag.radius.codec.AttributeDataType.IPV4_ADDRESS;
import static org.opentwag.radius.codec.AttributeDataType.IPV6_ADDRESS;
import static org.opentwag.radius.codec.AttributeDataType.OCTETS;
import static org.opentwag.radius.codec.AttributeDataType.TEXT;
import static org.opentwag.radius.codec.AttributeDataType.TIME;
import static org.opentwag.radius.codec.AttributeDataType.VENDOR_SPECIFIC;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Attribute numbers, names and types: RFC 2865, 2866, 2869, 3162, 3579, 4072, 4372, 5176, 5580, 6911; Microsoft
 * vendor attributes from RFC 2548; WISPr from the Wi-Fi Alliance WISPr 1.0 dictionary.
 *
 * <p>Immutable. {@link #standard()} is what the codec uses; a plugin that needs more vendor attributes builds its own
 * copy with {@link #withVendorAttribute}.
 */
public final class RadiusDictionary {

    // --- standard attribute types ---
    public static final int USER_NAME = 1;
    public static final int USER_PASSWORD = 2;
    public static final int CHAP_PASSWORD = 3;
    public static final int NAS_IP_ADDRESS = 4;
    public static final int NAS_PORT = 5;
    public static final int SERVICE_TYPE = 6;
    public static final int FRAMED_PROTOCOL = 7;
    public static final int FRAMED_IP_ADDRESS = 8;
    public static final int FRAMED_IP_NETMASK = 9;
    public static final int FRAMED_ROUTING = 10;
    public static final int FILTER_ID = 11;
    public static final int FRAMED_MTU = 12;
    public static final int FRAMED_COMPRESSION = 13;
    public static final int LOGIN_IP_HOST = 14;
    public static final int LOGIN_SERVICE = 15;
    public static final int REPLY_MESSAGE = 18;
    public static final int STATE = 24;
    public static final int CLASS = 25;
    public static final int VENDOR_SPECIFIC_TYPE = 26;
    public static final int SESSION_TIMEOUT = 27;
    public static final int IDLE_TIMEOUT = 28;
    public static final int TERMINATION_ACTION = 29;
    public static final int CALLED_STATION_ID = 30;
    public static final int CALLING_STATION_ID = 31;
    public static final int NAS_IDENTIFIER = 32;
    public static final int PROXY_STATE = 33;
    public static final int ACCT_STATUS_TYPE = 40;
    public static final int ACCT_DELAY_TIME = 41;
    public static final int ACCT_INPUT_OCTETS = 42;
    public static final int ACCT_OUTPUT_OCTETS = 43;
    public static final int ACCT_SESSION_ID = 44;
    public static final int ACCT_AUTHENTIC = 45;
    public static final int ACCT_SESSION_TIME = 46;
    public static final int ACCT_INPUT_PACKETS = 47;
    public static final int ACCT_OUTPUT_PACKETS = 48;
    public static final int ACCT_TERMINATE_CAUSE = 49;
    public static final int ACCT_MULTI_SESSION_ID = 50;
    public static final int ACCT_LINK_COUNT = 51;
    public static final int ACCT_INPUT_GIGAWORDS = 52;
    public static final int ACCT_OUTPUT_GIGAWORDS = 53;
    public static final int EVENT_TIMESTAMP = 55;
    public static final int CHAP_CHALLENGE = 60;
    public static final int NAS_PORT_TYPE = 61;
    public static final int CONNECT_INFO = 77;
    public static final int EAP_MESSAGE = 79;
    public static final int MESSAGE_AUTHENTICATOR = 80;
    public static final int ACCT_INTERIM_INTERVAL = 85;
    public static final int NAS_PORT_ID = 87;
    public static final int CHARGEABLE_USER_IDENTITY = 89;
    public static final int NAS_IPV6_ADDRESS = 95;
    public static final int ERROR_CAUSE = 101;
    public static final int EAP_KEY_NAME = 102;
    public static final int OPERATOR_NAME = 126;
    public static final int LOCATION_INFORMATION = 127;
    public static final int LOCATION_DATA = 128;
    public static final int FRAMED_IPV6_ADDRESS = 168;

    // --- enumerated values we act on ---
    public static final int ACCT_STATUS_START = 1;
    public static final int ACCT_STATUS_STOP = 2;
    public static final int ACCT_STATUS_INTERIM_UPDATE = 3;
    public static final int ACCT_STATUS_ACCOUNTING_ON = 7;
    public static final int ACCT_STATUS_ACCOUNTING_OFF = 8;
    public static final int SERVICE_TYPE_FRAMED = 2;
    public static final int SERVICE_TYPE_AUTHORIZE_ONLY = 17;
    public static final int NAS_PORT_TYPE_WIRELESS_802_11 = 19;
    public static final int TERMINATION_ACTION_RADIUS_REQUEST = 1;

    // --- vendors (IANA private enterprise numbers) ---
    public static final int VENDOR_MICROSOFT = 311;
    public static final int VENDOR_WISPR = 14122;
    /** RFC 2548 section 2.4.2. */
    public static final int MS_MPPE_SEND_KEY = 16;
    /** RFC 2548 section 2.4.3. */
    public static final int MS_MPPE_RECV_KEY = 17;
    public static final int MS_MPPE_ENCRYPTION_POLICY = 7;
    public static final int MS_MPPE_ENCRYPTION_TYPES = 8;
    public static final int WISPR_LOCATION_ID = 1;
    public static final int WISPR_LOCATION_NAME = 2;
    public static final int WISPR_LOGOFF_URL = 3;
    public static final int WISPR_REDIRECTION_URL = 4;
    public static final int WISPR_BANDWIDTH_MIN_UP = 5;
    public static final int WISPR_BANDWIDTH_MIN_DOWN = 6;
    public static final int WISPR_BANDWIDTH_MAX_UP = 7;
    public static final int WISPR_BANDWIDTH_MAX_DOWN = 8;
    public static final int WISPR_SESSION_TERMINATE_TIME = 9;

    private static final RadiusDictionary STANDARD = buildStandard();

    private final Map<Integer, AttributeDefinition> standardAttributes;
    private final Map<Long, AttributeDefinition> vendorAttributes;
    private final Map<Integer, String> vendorNames;

    private RadiusDictionary(Map<Integer, AttributeDefinition> standardAttributes,
                             Map<Long, AttributeDefinition> vendorAttributes, Map<Integer, String> vendorNames) {
        this.standardAttributes = Map.copyOf(standardAttributes);
        this.vendorAttributes = Map.copyOf(vendorAttributes);
        this.vendorNames = Map.copyOf(vendorNames);
    }

    /** The dictionary the codec uses. */
    public static RadiusDictionary standard() {
        return STANDARD;
    }

    /** The definition of a standard attribute type, if known. */
    public Optional<AttributeDefinition> attribute(int type) {
        return Optional.ofNullable(standardAttributes.get(type));
    }

    /** The definition of a vendor attribute, if known. */
    public Optional<AttributeDefinition> vendorAttribute(int vendorId, int vendorType) {
        return Optional.ofNullable(vendorAttributes.get(vendorKey(vendorId, vendorType)));
    }

    /** The definition of this attribute (standard or vendor), if known. */
    public Optional<AttributeDefinition> definitionOf(RadiusAttribute attribute) {
        return attribute.isVendorSpecific()
                ? vendorAttribute(attribute.vendorId(), attribute.vendorType())
                : attribute(attribute.type());
    }

    /** A display name: the dictionary name, or {@code Attr-N} / {@code Vendor-V-Attr-N} as FreeRADIUS prints unknowns. */
    public String nameOf(RadiusAttribute attribute) {
        return definitionOf(attribute).map(AttributeDefinition::name).orElseGet(() -> attribute.isVendorSpecific()
                ? "Vendor-" + vendorNames.getOrDefault(attribute.vendorId(), String.valueOf(attribute.vendorId()))
                        + "-Attr-" + attribute.vendorType()
                : "Attr-" + attribute.type());
    }

    /** True when the value is key material or a hidden password and must not be logged. */
    public boolean isSecret(RadiusAttribute attribute) {
        return definitionOf(attribute).map(AttributeDefinition::secret).orElse(false);
    }

    /** Attribute and value for logs and the shell; secrets are replaced by a length marker. */
    public String format(RadiusAttribute attribute) {
        AttributeDefinition definition = definitionOf(attribute).orElse(null);
        String name = nameOf(attribute);
        if (definition == null) {
            return name + " = 0x" + java.util.HexFormat.of().formatHex(attribute.value());
        }
        if (definition.secret()) {
            return name + " = <hidden " + attribute.value().length + " octets>";
        }
        try {
            String value = switch (definition.dataType()) {
                case TEXT -> "\"" + attribute.asString() + "\"";
                case INTEGER -> {
                    long number = attribute.asUnsignedInt();
                    String label = definition.valueNames().get((int) number);
                    yield label != null ? label : Long.toString(number);
                }
                case TIME -> java.time.Instant.ofEpochSecond(attribute.asUnsignedInt()).toString();
                case IPV4_ADDRESS, IPV6_ADDRESS -> attribute.asInetAddress().getHostAddress();
                case OCTETS, VENDOR_SPECIFIC -> "0x" + java.util.HexFormat.of().formatHex(attribute.value());
            };
            return name + " = " + value;
        } catch (IllegalStateException e) {
            return name + " = 0x" + java.util.HexFormat.of().formatHex(attribute.value());
        }
    }

    /** A copy of this dictionary that also knows one more vendor attribute (a plugin's own dictionary). */
    public RadiusDictionary withVendorAttribute(int vendorId, String vendorName, int vendorType, AttributeDefinition definition) {
        Map<Long, AttributeDefinition> vendors = new HashMap<>(vendorAttributes);
        vendors.put(vendorKey(vendorId, vendorType), definition);
        Map<Integer, String> names = new HashMap<>(vendorNames);
        names.put(vendorId, vendorName);
        return new RadiusDictionary(standardAttributes, vendors, names);
    }

    private static long vendorKey(int vendorId, int vendorType) {
        return ((long) vendorId << 8) | (vendorType & 0xff);
    }

    private static RadiusDictionary buildStandard() {
        Map<Integer, AttributeDefinition> s = new HashMap<>();
        s.put(USER_NAME, AttributeDefinition.of("User-Name", TEXT));
        s.put(USER_PASSWORD, AttributeDefinition.secret("User-Password"));
        s.put(CHAP_PASSWORD, AttributeDefinition.secret("CHAP-Password"));
        s.put(NAS_IP_ADDRESS, AttributeDefinition.of("NAS-IP-Address", IPV4_ADDRESS));
        s.put(NAS_PORT, AttributeDefinition.of("NAS-Port", INTEGER));
        s.put(SERVICE_TYPE, AttributeDefinition.enumerated("Service-Type", Map.of(1, "Login-User", 2, "Framed-User",
                3, "Callback-Login-User", 4, "Callback-Framed-User", 5, "Outbound-User", 6, "Administrative-User",
                7, "NAS-Prompt-User", 8, "Authenticate-Only", 17, "Authorize-Only")));
        s.put(FRAMED_PROTOCOL, AttributeDefinition.enumerated("Framed-Protocol", Map.of(1, "PPP", 2, "SLIP")));
        s.put(FRAMED_IP_ADDRESS, AttributeDefinition.of("Framed-IP-Address", IPV4_ADDRESS));
        s.put(FRAMED_IP_NETMASK, AttributeDefinition.of("Framed-IP-Netmask", IPV4_ADDRESS));
        s.put(FRAMED_ROUTING, AttributeDefinition.enumerated("Framed-Routing", Map.of(0, "None", 1, "Broadcast",
                2, "Listen", 3, "Broadcast-Listen")));
        s.put(FILTER_ID, AttributeDefinition.of("Filter-Id", TEXT));
        s.put(FRAMED_MTU, AttributeDefinition.of("Framed-MTU", INTEGER));
        s.put(FRAMED_COMPRESSION, AttributeDefinition.enumerated("Framed-Compression", Map.of(0, "None",
                1, "Van-Jacobson-TCP-IP")));
        s.put(LOGIN_IP_HOST, AttributeDefinition.of("Login-IP-Host", IPV4_ADDRESS));
        s.put(LOGIN_SERVICE, AttributeDefinition.enumerated("Login-Service", Map.of(0, "Telnet", 1, "Rlogin")));
        s.put(REPLY_MESSAGE, AttributeDefinition.of("Reply-Message", TEXT));
        s.put(STATE, AttributeDefinition.of("State", OCTETS));
        s.put(CLASS, AttributeDefinition.of("Class", OCTETS));
        s.put(VENDOR_SPECIFIC_TYPE, AttributeDefinition.of("Vendor-Specific", VENDOR_SPECIFIC));
        s.put(SESSION_TIMEOUT, AttributeDefinition.of("Session-Timeout", INTEGER));
        s.put(IDLE_TIMEOUT, AttributeDefinition.of("Idle-Timeout", INTEGER));
        s.put(TERMINATION_ACTION, AttributeDefinition.enumerated("Termination-Action", Map.of(0, "Default",
                1, "RADIUS-Request")));
        s.put(CALLED_STATION_ID, AttributeDefinition.of("Called-Station-Id", TEXT));
        s.put(CALLING_STATION_ID, AttributeDefinition.of("Calling-Station-Id", TEXT));
        s.put(NAS_IDENTIFIER, AttributeDefinition.of("NAS-Identifier", TEXT));
        s.put(PROXY_STATE, AttributeDefinition.of("Proxy-State", OCTETS));
        s.put(ACCT_STATUS_TYPE, AttributeDefinition.enumerated("Acct-Status-Type", Map.of(1, "Start", 2, "Stop",
                3, "Interim-Update", 7, "Accounting-On", 8, "Accounting-Off")));
        s.put(ACCT_DELAY_TIME, AttributeDefinition.of("Acct-Delay-Time", INTEGER));
        s.put(ACCT_INPUT_OCTETS, AttributeDefinition.of("Acct-Input-Octets", INTEGER));
        s.put(ACCT_OUTPUT_OCTETS, AttributeDefinition.of("Acct-Output-Octets", INTEGER));
        s.put(ACCT_SESSION_ID, AttributeDefinition.of("Acct-Session-Id", TEXT));
        s.put(ACCT_AUTHENTIC, AttributeDefinition.enumerated("Acct-Authentic", Map.of(1, "RADIUS", 2, "Local",
                3, "Remote")));
        s.put(ACCT_SESSION_TIME, AttributeDefinition.of("Acct-Session-Time", INTEGER));
        s.put(ACCT_INPUT_PACKETS, AttributeDefinition.of("Acct-Input-Packets", INTEGER));
        s.put(ACCT_OUTPUT_PACKETS, AttributeDefinition.of("Acct-Output-Packets", INTEGER));
        Map<Integer, String> terminateCauses = new HashMap<>();
        String[] causes = {"User-Request", "Lost-Carrier", "Lost-Service", "Idle-Timeout", "Session-Timeout",
                "Admin-Reset", "Admin-Reboot", "Port-Error", "NAS-Error", "NAS-Request", "NAS-Reboot", "Port-Unneeded",
                "Port-Preempted", "Port-Suspended", "Service-Unavailable", "Callback", "User-Error", "Host-Request"};
        for (int i = 0; i < causes.length; i++) {
            terminateCauses.put(i + 1, causes[i]);
        }
        s.put(ACCT_TERMINATE_CAUSE, AttributeDefinition.enumerated("Acct-Terminate-Cause", terminateCauses));
        s.put(ACCT_MULTI_SESSION_ID, AttributeDefinition.of("Acct-Multi-Session-Id", TEXT));
        s.put(ACCT_LINK_COUNT, AttributeDefinition.of("Acct-Link-Count", INTEGER));
        s.put(ACCT_INPUT_GIGAWORDS, AttributeDefinition.of("Acct-Input-Gigawords", INTEGER));
        s.put(ACCT_OUTPUT_GIGAWORDS, AttributeDefinition.of("Acct-Output-Gigawords", INTEGER));
        s.put(EVENT_TIMESTAMP, AttributeDefinition.of("Event-Timestamp", TIME));
        s.put(CHAP_CHALLENGE, AttributeDefinition.of("CHAP-Challenge", OCTETS));
        s.put(NAS_PORT_TYPE, AttributeDefinition.enumerated("NAS-Port-Type", Map.of(0, "Async", 5, "Virtual",
                15, "Ethernet", 18, "Wireless-Other", 19, "Wireless-802.11")));
        s.put(CONNECT_INFO, AttributeDefinition.of("Connect-Info", TEXT));
        s.put(EAP_MESSAGE, AttributeDefinition.of("EAP-Message", OCTETS));
        s.put(MESSAGE_AUTHENTICATOR, new AttributeDefinition("Message-Authenticator", OCTETS, false, Map.of()));
        s.put(ACCT_INTERIM_INTERVAL, AttributeDefinition.of("Acct-Interim-Interval", INTEGER));
        s.put(NAS_PORT_ID, AttributeDefinition.of("NAS-Port-Id", TEXT));
        s.put(CHARGEABLE_USER_IDENTITY, AttributeDefinition.of("Chargeable-User-Identity", OCTETS));
        s.put(NAS_IPV6_ADDRESS, AttributeDefinition.of("NAS-IPv6-Address", IPV6_ADDRESS));
        s.put(ERROR_CAUSE, AttributeDefinition.enumerated("Error-Cause", Map.ofEntries(
                Map.entry(201, "Residual-Context-Removed"), Map.entry(202, "Invalid-EAP-Packet"),
                Map.entry(401, "Unsupported-Attribute"), Map.entry(402, "Missing-Attribute"),
                Map.entry(403, "NAS-Identification-Mismatch"), Map.entry(404, "Invalid-Request"),
                Map.entry(405, "Unsupported-Service"), Map.entry(406, "Unsupported-Extension"),
                Map.entry(407, "Invalid-Attribute-Value"), Map.entry(501, "Administratively-Prohibited"),
                Map.entry(502, "Proxy-Request-Not-Routable"), Map.entry(503, "Session-Context-Not-Found"),
                Map.entry(504, "Session-Context-Not-Removable"), Map.entry(505, "Proxy-Processing-Error"),
                Map.entry(506, "Resources-Unavailable"), Map.entry(507, "Request-Initiated"),
                Map.entry(508, "Multiple-Session-Selection-Unsupported"))));
        s.put(EAP_KEY_NAME, AttributeDefinition.of("EAP-Key-Name", OCTETS));
        s.put(OPERATOR_NAME, AttributeDefinition.of("Operator-Name", TEXT));
        s.put(LOCATION_INFORMATION, AttributeDefinition.of("Location-Information", OCTETS));
        s.put(LOCATION_DATA, AttributeDefinition.of("Location-Data", OCTETS));
        s.put(FRAMED_IPV6_ADDRESS, AttributeDefinition.of("Framed-IPv6-Address", IPV6_ADDRESS));

        Map<Long, AttributeDefinition> v = new HashMap<>();
        v.put(vendorKey(VENDOR_MICROSOFT, MS_MPPE_SEND_KEY), AttributeDefinition.secret("MS-MPPE-Send-Key"));
        v.put(vendorKey(VENDOR_MICROSOFT, MS_MPPE_RECV_KEY), AttributeDefinition.secret("MS-MPPE-Recv-Key"));
        v.put(vendorKey(VENDOR_MICROSOFT, MS_MPPE_ENCRYPTION_POLICY), AttributeDefinition.enumerated(
                "MS-MPPE-Encryption-Policy", Map.of(1, "Encryption-Allowed", 2, "Encryption-Required")));
        v.put(vendorKey(VENDOR_MICROSOFT, MS_MPPE_ENCRYPTION_TYPES), AttributeDefinition.of("MS-MPPE-Encryption-Types", INTEGER));
        v.put(vendorKey(VENDOR_WISPR, WISPR_LOCATION_ID), AttributeDefinition.of("WISPr-Location-ID", TEXT));
        v.put(vendorKey(VENDOR_WISPR, WISPR_LOCATION_NAME), AttributeDefinition.of("WISPr-Location-Name", TEXT));
        v.put(vendorKey(VENDOR_WISPR, WISPR_LOGOFF_URL), AttributeDefinition.of("WISPr-Logoff-URL", TEXT));
        v.put(vendorKey(VENDOR_WISPR, WISPR_REDIRECTION_URL), AttributeDefinition.of("WISPr-Redirection-URL", TEXT));
        v.put(vendorKey(VENDOR_WISPR, WISPR_BANDWIDTH_MIN_UP), AttributeDefinition.of("WISPr-Bandwidth-Min-Up", INTEGER));
        v.put(vendorKey(VENDOR_WISPR, WISPR_BANDWIDTH_MIN_DOWN), AttributeDefinition.of("WISPr-Bandwidth-Min-Down", INTEGER));
        v.put(vendorKey(VENDOR_WISPR, WISPR_BANDWIDTH_MAX_UP), AttributeDefinition.of("WISPr-Bandwidth-Max-Up", INTEGER));
        v.put(vendorKey(VENDOR_WISPR, WISPR_BANDWIDTH_MAX_DOWN), AttributeDefinition.of("WISPr-Bandwidth-Max-Down", INTEGER));
        v.put(vendorKey(VENDOR_WISPR, WISPR_SESSION_TERMINATE_TIME), AttributeDefinition.of("WISPr-Session-Terminate-Time", TEXT));

        return new RadiusDictionary(s, v, Map.of(VENDOR_MICROSOFT, "Microsoft", VENDOR_WISPR, "WISPr"));
    }
}
