package org.opentwag.radius.codec;

/**
 * A datagram that is not a well-formed RADIUS packet. The message names what is wrong and, where an attribute is at
 * fault, its name and offset, so an operator can match it with a capture.
 */
public class RadiusDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int attributeType;

    public RadiusDecodeException(String message) {
        this(message, -1);
    }

    public RadiusDecodeException(String message, int attributeType) {
        super(message);
        this.attributeType = attributeType;
    }

    /** The type of the offending attribute, or -1 when the header is at fault. */
    public int attributeType() {
        return attributeType;
    }
}
