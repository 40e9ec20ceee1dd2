package org.opentwag.diameter.codec;

import java.util.Optional;

/**
 * A Diameter message or AVP that does not follow RFC 6733. Says what is wrong, where (AVP code, vendor and
 * octet offset from the start of the message), which Result-Code an answer should carry, and which AVP to
 * put in Failed-AVP (RFC 6733 section 7.5).
 */
public class DiameterDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long resultCode;
    private final transient DiameterHeader header;
    private final int avpCode;
    private final int vendorId;
    private final int offset;
    private final transient Avp failedAvp;

    /**
     * @param resultCode the Result-Code an answer should carry (e.g. 5014 DIAMETER_INVALID_AVP_LENGTH)
     * @param message    what is wrong, for logs and Error-Message
     * @param header     the message header when it was readable, else null
     * @param avpCode    the offending AVP code, or -1 when the header itself is wrong
     * @param vendorId   the offending AVP's vendor id (0 when none)
     * @param offset     octet offset of the offending item from the start of the message
     * @param failedAvp  the AVP to report in Failed-AVP, or null
     */
    public DiameterDecodeException(long resultCode, String message, DiameterHeader header, int avpCode, int vendorId,
                                   int offset, Avp failedAvp) {
        super(message);
        this.resultCode = resultCode;
        this.header = header;
        this.avpCode = avpCode;
        this.vendorId = vendorId;
        this.offset = offset;
        this.failedAvp = failedAvp;
    }

    /** The Result-Code an answer to the malformed request should carry. */
    public long resultCode() {
        return resultCode;
    }

    /** The header, when the first 20 octets were readable (to answer with the right identifiers). */
    public Optional<DiameterHeader> header() {
        return Optional.ofNullable(header);
    }

    /** The offending AVP code, or -1 when the problem is in the message header. */
    public int avpCode() {
        return avpCode;
    }

    public int vendorId() {
        return vendorId;
    }

    /** Octet offset of the offending item from the start of the message. */
    public int offset() {
        return offset;
    }

    /** The AVP to wrap in a Failed-AVP of the error answer (RFC 6733 7.5), when one applies. */
    public Optional<Avp> failedAvp() {
        return Optional.ofNullable(failedAvp);
    }

    DiameterDecodeException withHeader(DiameterHeader h) {
        var e = new DiameterDecodeException(resultCode, getMessage(), h, avpCode, vendorId, offset, failedAvp);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
