package org.opentwag.gtp.codec;

/**
 * The Cause IE (TS 29.274 8.4): value, PCE/BCE/CS flags and, when present, the offending IE's type and instance.
 *
 * @param value             cause value (Table 8.4-1); 16..63 accept a request
 * @param remote            CS: the cause originated from the remote node, not the sender
 * @param offendingType     type of the offending IE, or 0 when none
 * @param offendingInstance its instance
 */
public record Cause(int value, boolean remote, int offendingType, int offendingInstance) {

    public static final int REQUEST_ACCEPTED = 16;
    public static final int CONTEXT_NOT_FOUND = 64;
    public static final int INVALID_MESSAGE_FORMAT = 65;
    public static final int MANDATORY_IE_INCORRECT = 69;
    public static final int MANDATORY_IE_MISSING = 70;
    public static final int SYSTEM_FAILURE = 72;
    public static final int NO_RESOURCES_AVAILABLE = 73;
    public static final int REMOTE_PEER_NOT_RESPONDING = 100;
    public static final int REQUEST_REJECTED = 94;

    public static Cause of(int value) {
        return new Cause(value, false, 0, 0);
    }

    /** Accepted values are 16..63 (TS 29.274 8.4: "Acceptance in a Response / Triggered Response"). */
    public boolean accepted() {
        return value >= 16 && value <= 63;
    }

    public InformationElement toIe() {
        byte flags = (byte) (remote ? 0x01 : 0);
        byte[] v = offendingType == 0 ? new byte[] {(byte) value, flags}
                : new byte[] {(byte) value, flags, (byte) offendingType, 0, 0, (byte) (offendingInstance & 0x0f)};
        return InformationElement.of(IeType.CAUSE, v);
    }

    public static Cause from(InformationElement ie) {
        byte[] v = ie.value();
        if (v.length != 2 && v.length != 6) {
            throw new GtpDecodeException("Cause IE of " + v.length + " octets (2 or 6 expected)", 0);
        }
        return new Cause(v[0] & 0xff, (v[1] & 0x01) != 0, v.length == 6 ? v[2] & 0xff : 0,
                v.length == 6 ? v[5] & 0x0f : 0);
    }

    /** A short name for logs and metric labels. */
    public static String name(int value) {
        return switch (value) {
            case 16 -> "request_accepted";
            case 64 -> "context_not_found";
            case 65 -> "invalid_message_format";
            case 68 -> "service_not_supported";
            case 69 -> "mandatory_ie_incorrect";
            case 70 -> "mandatory_ie_missing";
            case 72 -> "system_failure";
            case 73 -> "no_resources_available";
            case 78 -> "missing_or_unknown_apn";
            case 84 -> "all_dynamic_addresses_occupied";
            case 92 -> "user_authentication_failed";
            case 93 -> "apn_access_denied";
            case 94 -> "request_rejected";
            case 100 -> "remote_peer_not_responding";
            default -> "cause_" + value;
        };
    }
}
