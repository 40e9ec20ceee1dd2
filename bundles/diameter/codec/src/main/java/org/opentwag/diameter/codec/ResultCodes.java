package org.opentwag.diameter.codec;

/**
 * Result-Code values (RFC 6733 section 7.1, RFC 4006 section 9) and 3GPP Experimental-Result-Code values
 * (vendor 10415; TS 29.229, TS 29.273, TS 29.230). The same number means different things in the two
 * spaces: 5001 is DIAMETER_AVP_UNSUPPORTED as a Result-Code but DIAMETER_ERROR_USER_UNKNOWN inside
 * Experimental-Result.
 */
public final class ResultCodes {
    private ResultCodes() {
    }

    // RFC 6733 7.1.2 success
    public static final long DIAMETER_SUCCESS = 2001;
    public static final long DIAMETER_LIMITED_SUCCESS = 2002;
    // 7.1.3 protocol errors ('E' bit)
    public static final long DIAMETER_COMMAND_UNSUPPORTED = 3001;
    public static final long DIAMETER_UNABLE_TO_DELIVER = 3002;
    public static final long DIAMETER_REALM_NOT_SERVED = 3003;
    public static final long DIAMETER_TOO_BUSY = 3004;
    public static final long DIAMETER_LOOP_DETECTED = 3005;
    public static final long DIAMETER_REDIRECT_INDICATION = 3006;
    public static final long DIAMETER_APPLICATION_UNSUPPORTED = 3007;
    public static final long DIAMETER_INVALID_HDR_BITS = 3008;
    public static final long DIAMETER_INVALID_AVP_BITS = 3009;
    public static final long DIAMETER_UNKNOWN_PEER = 3010;
    // 7.1.4 transient failures
    public static final long DIAMETER_AUTHENTICATION_REJECTED = 4001;
    public static final long DIAMETER_OUT_OF_SPACE = 4002;
    public static final long ELECTION_LOST = 4003;
    // 7.1.5 permanent failures
    public static final long DIAMETER_AVP_UNSUPPORTED = 5001;
    public static final long DIAMETER_UNKNOWN_SESSION_ID = 5002;
    public static final long DIAMETER_AUTHORIZATION_REJECTED = 5003;
    public static final long DIAMETER_INVALID_AVP_VALUE = 5004;
    public static final long DIAMETER_MISSING_AVP = 5005;
    public static final long DIAMETER_RESOURCES_EXCEEDED = 5006;
    public static final long DIAMETER_CONTRADICTING_AVPS = 5007;
    public static final long DIAMETER_AVP_NOT_ALLOWED = 5008;
    public static final long DIAMETER_AVP_OCCURS_TOO_MANY_TIMES = 5009;
    public static final long DIAMETER_NO_COMMON_APPLICATION = 5010;
    public static final long DIAMETER_UNSUPPORTED_VERSION = 5011;
    public static final long DIAMETER_UNABLE_TO_COMPLY = 5012;
    public static final long DIAMETER_INVALID_BIT_IN_HEADER = 5013;
    public static final long DIAMETER_INVALID_AVP_LENGTH = 5014;
    public static final long DIAMETER_INVALID_MESSAGE_LENGTH = 5015;
    public static final long DIAMETER_INVALID_AVP_BIT_COMBO = 5016;
    public static final long DIAMETER_NO_COMMON_SECURITY = 5017;
    // RFC 4006 section 9 (credit control)
    public static final long DIAMETER_END_USER_SERVICE_DENIED = 4010;
    public static final long DIAMETER_CREDIT_CONTROL_NOT_APPLICABLE = 4011;
    public static final long DIAMETER_CREDIT_LIMIT_REACHED = 4012;
    public static final long DIAMETER_USER_UNKNOWN = 5030;
    public static final long DIAMETER_RATING_FAILED = 5031;

    /** 3GPP Experimental-Result-Code values (vendor 10415) met on SWx. */
    public static final class ThreeGpp {
        private ThreeGpp() {
        }

        public static final long DIAMETER_FIRST_REGISTRATION = 2001;
        public static final long DIAMETER_SUBSEQUENT_REGISTRATION = 2002;
        public static final long DIAMETER_UNREGISTERED_SERVICE = 2003;
        public static final long DIAMETER_SUCCESS_SERVER_NAME_NOT_STORED = 2004;
        public static final long DIAMETER_AUTHENTICATION_DATA_UNAVAILABLE = 4181;
        public static final long DIAMETER_ERROR_USER_UNKNOWN = 5001;
        public static final long DIAMETER_ERROR_IDENTITIES_DONT_MATCH = 5002;
        public static final long DIAMETER_ERROR_IDENTITY_NOT_REGISTERED = 5003;
        public static final long DIAMETER_ERROR_ROAMING_NOT_ALLOWED = 5004;
        public static final long DIAMETER_ERROR_IDENTITY_ALREADY_REGISTERED = 5005;
        public static final long DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED = 5006;
        public static final long DIAMETER_ERROR_IN_ASSIGNMENT_TYPE = 5007;
        public static final long DIAMETER_ERROR_TOO_MUCH_DATA = 5008;
        public static final long DIAMETER_ERROR_NOT_SUPPORTED_USER_DATA = 5009;
        public static final long DIAMETER_ERROR_FEATURE_UNSUPPORTED = 5011;
        public static final long DIAMETER_ERROR_SERVING_NODE_FEATURE_UNSUPPORTED = 5012;
        public static final long DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION = 5420;
        public static final long DIAMETER_ERROR_RAT_NOT_ALLOWED = 5421;
        public static final long DIAMETER_ERROR_USER_NO_NON_3GPP_SUBSCRIPTION = 5450;
        public static final long DIAMETER_ERROR_USER_NO_APN_SUBSCRIPTION = 5451;
        public static final long DIAMETER_ERROR_RAT_TYPE_NOT_ALLOWED = 5452;
        public static final long DIAMETER_ERROR_LATE_OVERLAPPING_REQUEST = 5453;
        public static final long DIAMETER_ERROR_TIMED_OUT_REQUEST = 5454;
        public static final long DIAMETER_ERROR_ILLEGAL_EQUIPMENT = 5554;
    }

    /** 2xxx in either space. */
    public static boolean isSuccess(long code) {
        return code >= 2000 && code < 3000;
    }

    /** 3xxx: protocol errors, answered with the 'E' bit. */
    public static boolean isProtocolError(long code) {
        return code >= 3000 && code < 4000;
    }

    /** 4xxx: the request may succeed later. */
    public static boolean isTransientFailure(long code) {
        return code >= 4000 && code < 5000;
    }

    /** 5xxx. */
    public static boolean isPermanentFailure(long code) {
        return code >= 5000 && code < 6000;
    }
}
