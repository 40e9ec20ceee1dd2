package org.opentwag.gtp.codec;

/** GTPv2-C message types used on S2a (TS 29.274 Table 6.1-1). */
public final class MessageType {
    public static final int ECHO_REQUEST = 1;
    public static final int ECHO_RESPONSE = 2;
    public static final int VERSION_NOT_SUPPORTED = 3;
    public static final int CREATE_SESSION_REQUEST = 32;
    public static final int CREATE_SESSION_RESPONSE = 33;
    public static final int DELETE_SESSION_REQUEST = 36;
    public static final int DELETE_SESSION_RESPONSE = 37;
    public static final int DELETE_BEARER_REQUEST = 99;
    public static final int DELETE_BEARER_RESPONSE = 100;

    private MessageType() {
    }

    /** Whether {@code type} is a request that gets a response (initial message, TS 29.274 7.6). */
    public static boolean isRequest(int type) {
        return type == ECHO_REQUEST || type == CREATE_SESSION_REQUEST || type == DELETE_SESSION_REQUEST
                || type == DELETE_BEARER_REQUEST;
    }

    public static String name(int type) {
        return switch (type) {
            case ECHO_REQUEST -> "Echo-Request";
            case ECHO_RESPONSE -> "Echo-Response";
            case VERSION_NOT_SUPPORTED -> "Version-Not-Supported";
            case CREATE_SESSION_REQUEST -> "Create-Session-Request";
            case CREATE_SESSION_RESPONSE -> "Create-Session-Response";
            case DELETE_SESSION_REQUEST -> "Delete-Session-Request";
            case DELETE_SESSION_RESPONSE -> "Delete-Session-Response";
            case DELETE_BEARER_REQUEST -> "Delete-Bearer-Request";
            case DELETE_BEARER_RESPONSE -> "Delete-Bearer-Response";
            default -> "type-" + type;
        };
    }
}
