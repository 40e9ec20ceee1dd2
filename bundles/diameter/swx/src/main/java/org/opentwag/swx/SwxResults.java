package org.opentwag.swx;

import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.api.vectors.VectorSourceException.Reason;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.ResultCodes.ThreeGpp;
import org.opentwag.diameter.codec.Vendors;
import org.opentwag.diameter.stack.DiameterRequestException;
import org.opentwag.support.async.Futures;

/**
 * Turns SWx answers and Diameter failures into {@link VectorSourceException} reasons the EAP methods act on.
 * Codes from vectors/diameter-swx.json: 3GPP codes (vendor 10415) are read only from Experimental-Result, where 5001
 * means DIAMETER_ERROR_USER_UNKNOWN (as a Result-Code it would be DIAMETER_AVP_UNSUPPORTED).
 */
public final class SwxResults {
    private SwxResults() {
    }

    /** Whether the answer reports success (Result-Code 2xxx, or a 2xxx Experimental-Result). */
    public static boolean isSuccess(DiameterMessage answer) {
        long code = answer.unsigned32(BaseProtocol.RESULT_CODE, -1);
        if (code >= 0) {
            return ResultCodes.isSuccess(code);
        }
        code = answer.experimentalResultCode(-1);
        return code >= 0 && ResultCodes.isSuccess(code);
    }

    /** A short text naming the outcome, for logs and exception messages: "Experimental-Result 5001 (...)". */
    public static String describe(DiameterMessage answer) {
        if (answer.experimentalResultCode().isPresent()) {
            long code = answer.experimentalResultCode().getAsLong();
            return "Experimental-Result " + code + experimentalName(code);
        }
        if (answer.resultCode().isPresent()) {
            long code = answer.resultCode().getAsLong();
            return "Result-Code " + code + baseName(code);
        }
        return "no Result-Code";
    }

    /**
     * The failure of a non-successful MAA.
     *
     * @param resync whether the MAR carried RAND || AUTS: an unspecific refusal then means the AUTS did not verify
     */
    public static VectorSourceException failure(DiameterMessage answer, String imsi, boolean resync) {
        Reason reason = reason(answer, resync);
        String text = switch (reason) {
            case USER_UNKNOWN -> "HSS does not know IMSI " + imsi;
            case SCHEME_NOT_SUPPORTED -> "HSS refuses the authentication scheme for IMSI " + imsi
                    + " (an HSS serving EAP-AKA only, as Open5GS, refuses EAP-AKA')";
            case NOT_AUTHORIZED -> "HSS refuses non-3GPP access for IMSI " + imsi;
            case UNAVAILABLE -> "HSS cannot serve IMSI " + imsi + " now";
            case RESYNC_FAILED -> "HSS refused the resynchronisation (AUTS) of IMSI " + imsi;
            case OTHER -> "HSS answered IMSI " + imsi + " with an error";
        };
        long code = answer.experimentalResultCode().isPresent() ? answer.experimentalResultCode().getAsLong()
                : answer.resultCode().orElse(0);
        return new VectorSourceException(reason, code, text + ": " + describe(answer));
    }

    static Reason reason(DiameterMessage answer, boolean resync) {
        long vendor = answer.experimentalResultVendorId().orElse(Vendors.THREE_GPP);
        if (answer.experimentalResultCode().isPresent() && vendor == Vendors.THREE_GPP) {
            long code = answer.experimentalResultCode().getAsLong();
            if (code == ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN) {
                return Reason.USER_UNKNOWN;
            }
            if (code == ThreeGpp.DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED) {
                return Reason.SCHEME_NOT_SUPPORTED;
            }
            if (code == ThreeGpp.DIAMETER_ERROR_ROAMING_NOT_ALLOWED
                    || code == ThreeGpp.DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION
                    || code == ThreeGpp.DIAMETER_ERROR_RAT_NOT_ALLOWED
                    || code == ThreeGpp.DIAMETER_ERROR_USER_NO_NON_3GPP_SUBSCRIPTION
                    || code == ThreeGpp.DIAMETER_ERROR_USER_NO_APN_SUBSCRIPTION
                    || code == ThreeGpp.DIAMETER_ERROR_RAT_TYPE_NOT_ALLOWED
                    || code == ThreeGpp.DIAMETER_ERROR_ILLEGAL_EQUIPMENT) {
                return Reason.NOT_AUTHORIZED;
            }
            if (code == ThreeGpp.DIAMETER_AUTHENTICATION_DATA_UNAVAILABLE) {
                return Reason.UNAVAILABLE;
            }
            return resync ? Reason.RESYNC_FAILED : Reason.OTHER;
        }
        long code = answer.resultCode().orElse(0);
        if (code == ResultCodes.DIAMETER_UNABLE_TO_DELIVER || code == ResultCodes.DIAMETER_TOO_BUSY
                || code == ResultCodes.DIAMETER_REALM_NOT_SERVED || code == ResultCodes.DIAMETER_LOOP_DETECTED) {
            return Reason.UNAVAILABLE;
        }
        if (resync) {
            return Reason.RESYNC_FAILED;
        }
        if (code == ResultCodes.DIAMETER_AUTHORIZATION_REJECTED) {
            return Reason.NOT_AUTHORIZED;
        }
        return Reason.OTHER;
    }

    /** The failure of a request that got no answer (or whose answer could not be used). */
    public static VectorSourceException failure(Throwable error, String imsi) {
        Throwable t = Futures.unwrap(error);
        if (t instanceof VectorSourceException v) {
            return v;
        }
        if (t instanceof DiameterRequestException d) {
            String text = switch (d.reason()) {
                case TIMEOUT -> "Diameter peer connection timeout: no answer from the HSS";
                case NO_ROUTE -> "no HSS peer open for the configured realm/host";
                case PEER_DOWN -> "HSS peer went down with the request pending";
                case NODE_CLOSED -> "Diameter node is shutting down";
                case OVERLOADED -> "HSS overloaded: request dropped by DOIC loss abatement";
            };
            return new VectorSourceException(Reason.UNAVAILABLE, text + " (IMSI " + imsi + "): " + d.getMessage(), d);
        }
        return new VectorSourceException(Reason.OTHER, "SWx request for IMSI " + imsi + " failed: " + t, t);
    }

    private static String experimentalName(long code) {
        return switch ((int) code) {
            case 5001 -> " (DIAMETER_ERROR_USER_UNKNOWN)";
            case 5004 -> " (DIAMETER_ERROR_ROAMING_NOT_ALLOWED)";
            case 5006 -> " (DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED)";
            case 5420 -> " (DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION)";
            case 5421 -> " (DIAMETER_ERROR_RAT_NOT_ALLOWED)";
            case 5450 -> " (DIAMETER_ERROR_USER_NO_NON_3GPP_SUBSCRIPTION)";
            case 5452 -> " (DIAMETER_ERROR_RAT_TYPE_NOT_ALLOWED)";
            case 4181 -> " (DIAMETER_AUTHENTICATION_DATA_UNAVAILABLE)";
            default -> "";
        };
    }

    private static String baseName(long code) {
        return switch ((int) code) {
            case 2001 -> " (DIAMETER_SUCCESS)";
            case 3002 -> " (DIAMETER_UNABLE_TO_DELIVER)";
            case 3004 -> " (DIAMETER_TOO_BUSY)";
            case 4001 -> " (DIAMETER_AUTHENTICATION_REJECTED)";
            case 5003 -> " (DIAMETER_AUTHORIZATION_REJECTED)";
            case 5005 -> " (DIAMETER_MISSING_AVP)";
            case 5012 -> " (DIAMETER_UNABLE_TO_COMPLY)";
            default -> "";
        };
    }
}
