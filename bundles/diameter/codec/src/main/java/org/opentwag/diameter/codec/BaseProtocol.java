package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.AvpFormat.ADDRESS;
import static org.opentwag.diameter.codec.AvpFormat.DIAMETER_IDENTITY;
import static org.opentwag.diameter.codec.AvpFormat.DIAMETER_URI;
import static org.opentwag.diameter.codec.AvpFormat.ENUMERATED;
import static org.opentwag.diameter.codec.AvpFormat.GROUPED;
import static org.opentwag.diameter.codec.AvpFormat.OCTET_STRING;
import static org.opentwag.diameter.codec.AvpFormat.TIME;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED32;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED64;
import static org.opentwag.diameter.codec.AvpFormat.UTF8_STRING;

import java.util.List;

/** The Diameter base protocol (RFC 6733): applications, commands, AVPs (table of section 4.5) and values. */
public final class BaseProtocol {
    private BaseProtocol() {
    }

    /** Application-Id of CER/CEA, DWR/DWA, DPR/DPA (RFC 6733 2.4). */
    public static final long COMMON_MESSAGES_APPLICATION = 0;
    /** The relay application: advertised by agents that route any application (RFC 6733 2.4). */
    public static final long RELAY_APPLICATION = 0xffffffffL;

    // Command codes (RFC 6733 3.1)
    public static final int CAPABILITIES_EXCHANGE = 257;
    public static final int RE_AUTH = 258;
    public static final int ACCOUNTING = 271;
    public static final int ABORT_SESSION = 274;
    public static final int SESSION_TERMINATION = 275;
    public static final int DEVICE_WATCHDOG = 280;
    public static final int DISCONNECT_PEER = 282;

    // AVPs (RFC 6733 4.5; flags: 'M' when the MUST column has M)
    public static final AvpDefinition USER_NAME = ietf("User-Name", 1, UTF8_STRING, true);
    public static final AvpDefinition CLASS = ietf("Class", 25, OCTET_STRING, true);
    public static final AvpDefinition SESSION_TIMEOUT = ietf("Session-Timeout", 27, UNSIGNED32, true);
    public static final AvpDefinition PROXY_STATE = ietf("Proxy-State", 33, OCTET_STRING, true);
    public static final AvpDefinition ACCT_SESSION_ID = ietf("Acct-Session-Id", 44, OCTET_STRING, true);
    public static final AvpDefinition ACCT_MULTI_SESSION_ID = ietf("Acct-Multi-Session-Id", 50, UTF8_STRING, true);
    public static final AvpDefinition EVENT_TIMESTAMP = ietf("Event-Timestamp", 55, TIME, true);
    public static final AvpDefinition ACCT_INTERIM_INTERVAL = ietf("Acct-Interim-Interval", 85, UNSIGNED32, true);
    public static final AvpDefinition HOST_IP_ADDRESS = ietf("Host-IP-Address", 257, ADDRESS, true);
    public static final AvpDefinition AUTH_APPLICATION_ID = ietf("Auth-Application-Id", 258, UNSIGNED32, true);
    public static final AvpDefinition ACCT_APPLICATION_ID = ietf("Acct-Application-Id", 259, UNSIGNED32, true);
    public static final AvpDefinition VENDOR_SPECIFIC_APPLICATION_ID = ietf("Vendor-Specific-Application-Id", 260, GROUPED, true);
    public static final AvpDefinition REDIRECT_HOST_USAGE = ietf("Redirect-Host-Usage", 261, ENUMERATED, true);
    public static final AvpDefinition REDIRECT_MAX_CACHE_TIME = ietf("Redirect-Max-Cache-Time", 262, UNSIGNED32, true);
    public static final AvpDefinition SESSION_ID = ietf("Session-Id", 263, UTF8_STRING, true);
    public static final AvpDefinition ORIGIN_HOST = ietf("Origin-Host", 264, DIAMETER_IDENTITY, true);
    public static final AvpDefinition SUPPORTED_VENDOR_ID = ietf("Supported-Vendor-Id", 265, UNSIGNED32, true);
    public static final AvpDefinition VENDOR_ID = ietf("Vendor-Id", 266, UNSIGNED32, true);
    public static final AvpDefinition FIRMWARE_REVISION = ietf("Firmware-Revision", 267, UNSIGNED32, false);
    public static final AvpDefinition RESULT_CODE = ietf("Result-Code", 268, UNSIGNED32, true);
    public static final AvpDefinition PRODUCT_NAME = ietf("Product-Name", 269, UTF8_STRING, false);
    public static final AvpDefinition SESSION_BINDING = ietf("Session-Binding", 270, UNSIGNED32, true);
    public static final AvpDefinition SESSION_SERVER_FAILOVER = ietf("Session-Server-Failover", 271, ENUMERATED, true);
    public static final AvpDefinition MULTI_ROUND_TIME_OUT = ietf("Multi-Round-Time-Out", 272, UNSIGNED32, true);
    public static final AvpDefinition DISCONNECT_CAUSE = ietf("Disconnect-Cause", 273, ENUMERATED, true);
    public static final AvpDefinition AUTH_REQUEST_TYPE = ietf("Auth-Request-Type", 274, ENUMERATED, true);
    public static final AvpDefinition AUTH_GRACE_PERIOD = ietf("Auth-Grace-Period", 276, UNSIGNED32, true);
    public static final AvpDefinition AUTH_SESSION_STATE = ietf("Auth-Session-State", 277, ENUMERATED, true);
    public static final AvpDefinition ORIGIN_STATE_ID = ietf("Origin-State-Id", 278, UNSIGNED32, true);
    public static final AvpDefinition FAILED_AVP = ietf("Failed-AVP", 279, GROUPED, true);
    public static final AvpDefinition PROXY_HOST = ietf("Proxy-Host", 280, DIAMETER_IDENTITY, true);
    public static final AvpDefinition ERROR_MESSAGE = ietf("Error-Message", 281, UTF8_STRING, false);
    public static final AvpDefinition ROUTE_RECORD = ietf("Route-Record", 282, DIAMETER_IDENTITY, true);
    public static final AvpDefinition DESTINATION_REALM = ietf("Destination-Realm", 283, DIAMETER_IDENTITY, true);
    public static final AvpDefinition PROXY_INFO = ietf("Proxy-Info", 284, GROUPED, true);
    public static final AvpDefinition RE_AUTH_REQUEST_TYPE = ietf("Re-Auth-Request-Type", 285, ENUMERATED, true);
    public static final AvpDefinition ACCOUNTING_SUB_SESSION_ID = ietf("Accounting-Sub-Session-Id", 287, UNSIGNED64, true);
    public static final AvpDefinition AUTHORIZATION_LIFETIME = ietf("Authorization-Lifetime", 291, UNSIGNED32, true);
    public static final AvpDefinition REDIRECT_HOST = ietf("Redirect-Host", 292, DIAMETER_URI, true);
    public static final AvpDefinition DESTINATION_HOST = ietf("Destination-Host", 293, DIAMETER_IDENTITY, true);
    public static final AvpDefinition ERROR_REPORTING_HOST = ietf("Error-Reporting-Host", 294, DIAMETER_IDENTITY, false);
    public static final AvpDefinition TERMINATION_CAUSE = ietf("Termination-Cause", 295, ENUMERATED, true);
    public static final AvpDefinition ORIGIN_REALM = ietf("Origin-Realm", 296, DIAMETER_IDENTITY, true);
    public static final AvpDefinition EXPERIMENTAL_RESULT = ietf("Experimental-Result", 297, GROUPED, true);
    public static final AvpDefinition EXPERIMENTAL_RESULT_CODE = ietf("Experimental-Result-Code", 298, UNSIGNED32, true);
    public static final AvpDefinition INBAND_SECURITY_ID = ietf("Inband-Security-Id", 299, UNSIGNED32, true);
    public static final AvpDefinition ACCOUNTING_RECORD_TYPE = ietf("Accounting-Record-Type", 480, ENUMERATED, true);
    public static final AvpDefinition ACCOUNTING_REALTIME_REQUIRED = ietf("Accounting-Realtime-Required", 483, ENUMERATED, true);
    public static final AvpDefinition ACCOUNTING_RECORD_NUMBER = ietf("Accounting-Record-Number", 485, UNSIGNED32, true);

    /** Disconnect-Cause values (RFC 6733 5.4.3). */
    public static final class DisconnectCause {
        private DisconnectCause() {
        }

        public static final int REBOOTING = 0;
        public static final int BUSY = 1;
        public static final int DO_NOT_WANT_TO_TALK_TO_YOU = 2;
    }

    /** Auth-Session-State values (RFC 6733 8.11). */
    public static final class AuthSessionState {
        private AuthSessionState() {
        }

        public static final int STATE_MAINTAINED = 0;
        public static final int NO_STATE_MAINTAINED = 1;
    }

    static List<AvpDefinition> avps() {
        return List.of(USER_NAME, CLASS, SESSION_TIMEOUT, PROXY_STATE, ACCT_SESSION_ID, ACCT_MULTI_SESSION_ID,
                EVENT_TIMESTAMP, ACCT_INTERIM_INTERVAL, HOST_IP_ADDRESS, AUTH_APPLICATION_ID, ACCT_APPLICATION_ID,
                VENDOR_SPECIFIC_APPLICATION_ID, REDIRECT_HOST_USAGE, REDIRECT_MAX_CACHE_TIME, SESSION_ID, ORIGIN_HOST,
                SUPPORTED_VENDOR_ID, VENDOR_ID, FIRMWARE_REVISION, RESULT_CODE, PRODUCT_NAME, SESSION_BINDING,
                SESSION_SERVER_FAILOVER, MULTI_ROUND_TIME_OUT, DISCONNECT_CAUSE, AUTH_REQUEST_TYPE, AUTH_GRACE_PERIOD,
                AUTH_SESSION_STATE, ORIGIN_STATE_ID, FAILED_AVP, PROXY_HOST, ERROR_MESSAGE, ROUTE_RECORD,
                DESTINATION_REALM, PROXY_INFO, RE_AUTH_REQUEST_TYPE, ACCOUNTING_SUB_SESSION_ID, AUTHORIZATION_LIFETIME,
                REDIRECT_HOST, DESTINATION_HOST, ERROR_REPORTING_HOST, TERMINATION_CAUSE, ORIGIN_REALM,
                EXPERIMENTAL_RESULT, EXPERIMENTAL_RESULT_CODE, INBAND_SECURITY_ID, ACCOUNTING_RECORD_TYPE,
                ACCOUNTING_REALTIME_REQUIRED, ACCOUNTING_RECORD_NUMBER);
    }

    static List<CommandDefinition> commands() {
        return List.of(
                new CommandDefinition("Capabilities-Exchange", CAPABILITIES_EXCHANGE, "CER", "CEA", false),
                new CommandDefinition("Re-Auth", RE_AUTH, "RAR", "RAA", true),
                new CommandDefinition("Accounting", ACCOUNTING, "ACR", "ACA", true),
                new CommandDefinition("Abort-Session", ABORT_SESSION, "ASR", "ASA", true),
                new CommandDefinition("Session-Termination", SESSION_TERMINATION, "STR", "STA", true),
                new CommandDefinition("Device-Watchdog", DEVICE_WATCHDOG, "DWR", "DWA", false),
                new CommandDefinition("Disconnect-Peer", DISCONNECT_PEER, "DPR", "DPA", false));
    }

    static AvpDefinition ietf(String name, int code, AvpFormat format, boolean mandatory) {
        return new AvpDefinition(name, code, Vendors.IETF, format, mandatory);
    }

    static AvpDefinition tgpp(String name, int code, AvpFormat format, boolean mandatory) {
        return new AvpDefinition(name, code, Vendors.THREE_GPP, format, mandatory);
    }
}
