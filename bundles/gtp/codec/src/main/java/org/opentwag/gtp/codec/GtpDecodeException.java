package org.opentwag.gtp.codec;

/**
 * Octets that are not a well-formed GTPv2-C message or IE (TS 29.274 5.1, 8.2). Says what is wrong and where, and which
 * Cause an answer should carry when one is due (TS 29.274 7.7: 64 Context not found does not apply to framing; a
 * message too short or with a bad length gets no answer, an IE of wrong length gets 69 Mandatory IE incorrect).
 */
public class GtpDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public GtpDecodeException(String message, int offset) {
        super(message + " (at octet " + offset + ")");
        this.offset = offset;
    }

    /** Octet offset of the offending item from the start of the message (or of the IE value being read). */
    public int offset() {
        return offset;
    }
}
