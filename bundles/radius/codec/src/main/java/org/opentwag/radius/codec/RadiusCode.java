package org.opentwag.radius.codec;

/**
 * RADIUS packet codes: RFC 2865 section 3 (1-3, 11-13), RFC 2866 (4, 5), RFC 5176 section 2.3 (40-45).
 * Plain {@code int}s because a packet may carry a code we do not know; the server decides what to do with it.
 */
public final class RadiusCode {
    public static final int ACCESS_REQUEST = 1;
    public static final int ACCESS_ACCEPT = 2;
    public static final int ACCESS_REJECT = 3;
    public static final int ACCOUNTING_REQUEST = 4;
    public static final int ACCOUNTING_RESPONSE = 5;
    public static final int ACCESS_CHALLENGE = 11;
    public static final int STATUS_SERVER = 12;
    public static final int STATUS_CLIENT = 13;
    public static final int DISCONNECT_REQUEST = 40;
    public static final int DISCONNECT_ACK = 41;
    public static final int DISCONNECT_NAK = 42;
    public static final int COA_REQUEST = 43;
    public static final int COA_ACK = 44;
    public static final int COA_NAK = 45;

    private RadiusCode() {
    }

    /** The RFC name of a code, or {@code Unknown-Code-N}. */
    public static String name(int code) {
        return switch (code) {
            case ACCESS_REQUEST -> "Access-Request";
            case ACCESS_ACCEPT -> "Access-Accept";
            case ACCESS_REJECT -> "Access-Reject";
            case ACCOUNTING_REQUEST -> "Accounting-Request";
            case ACCOUNTING_RESPONSE -> "Accounting-Response";
            case ACCESS_CHALLENGE -> "Access-Challenge";
            case STATUS_SERVER -> "Status-Server";
            case STATUS_CLIENT -> "Status-Client";
            case DISCONNECT_REQUEST -> "Disconnect-Request";
            case DISCONNECT_ACK -> "Disconnect-ACK";
            case DISCONNECT_NAK -> "Disconnect-NAK";
            case COA_REQUEST -> "CoA-Request";
            case COA_ACK -> "CoA-ACK";
            case COA_NAK -> "CoA-NAK";
            default -> "Unknown-Code-" + code;
        };
    }

    /** Requests whose Request Authenticator is a random nonce (RFC 2865) rather than an MD5 signature. */
    public static boolean hasRandomRequestAuthenticator(int code) {
        return code == ACCESS_REQUEST || code == STATUS_SERVER;
    }

    /**
     * Requests whose Request Authenticator is MD5(packet with zeroed authenticator + secret):
     * RFC 2866 section 3 (accounting) and RFC 5176 section 3 (Disconnect, CoA).
     */
    public static boolean hasSignedRequestAuthenticator(int code) {
        return code == ACCOUNTING_REQUEST || code == DISCONNECT_REQUEST || code == COA_REQUEST;
    }

    /** True for every code a client sends (as opposed to a server's answer). */
    public static boolean isRequest(int code) {
        return hasRandomRequestAuthenticator(code) || hasSignedRequestAuthenticator(code) || code == STATUS_CLIENT;
    }
}
