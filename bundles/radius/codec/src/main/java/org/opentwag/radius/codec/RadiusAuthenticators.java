package org.opentwag.radius.codec;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The packet signatures of RADIUS, computed over wire bytes (so what is verified is exactly what arrived):
 * <ul>
 *   <li>Response Authenticator, RFC 2865 section 3: MD5(Code|Identifier|Length|Request Authenticator|Attributes|Secret);</li>
 *   <li>Request Authenticator of Accounting-Request (RFC 2866 section 3) and Disconnect/CoA-Request (RFC 5176
 *       section 3.5): the same MD5 with 16 zero octets in place of the authenticator;</li>
 *   <li>Message-Authenticator, RFC 3579 section 3.2 / RFC 2869 section 5.14: HMAC-MD5 keyed with the secret over the
 *       packet with the attribute's value zeroed. The authenticator field holds: the packet's own random authenticator
 *       for Access-Request and Status-Server; the Request Authenticator of the request being answered for every
 *       response; zeros for Accounting, Disconnect and CoA requests (their authenticator depends on this value).</li>
 * </ul>
 * Comparisons are constant-time.
 */
public final class RadiusAuthenticators {

    /** The outcome of checking a Message-Authenticator. */
    public enum Check { VALID, INVALID, ABSENT }

    private static final int AUTH_OFFSET = 4;
    private static final int AUTH_LENGTH = RadiusPacket.AUTHENTICATOR_LENGTH;

    private RadiusAuthenticators() {
    }

    /** Response Authenticator of an encoded response whose authenticator field may hold anything. */
    public static byte[] responseAuthenticator(byte[] responseWire, byte[] requestAuthenticator, byte[] secret) {
        requireAuthenticator(requestAuthenticator);
        return md5Signature(responseWire, requestAuthenticator, secret);
    }

    /** True when the response's authenticator is the right MD5 signature for this request authenticator. */
    public static boolean verifyResponseAuthenticator(byte[] responseWire, byte[] requestAuthenticator, byte[] secret) {
        byte[] expected = responseAuthenticator(responseWire, requestAuthenticator, secret);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(responseWire, AUTH_OFFSET, AUTH_OFFSET + AUTH_LENGTH));
    }

    /** Request Authenticator of an Accounting, Disconnect or CoA request (its authenticator field is ignored). */
    public static byte[] signedRequestAuthenticator(byte[] requestWire, byte[] secret) {
        return md5Signature(requestWire, new byte[AUTH_LENGTH], secret);
    }

    /** True when an Accounting, Disconnect or CoA request carries the right Request Authenticator. */
    public static boolean verifySignedRequestAuthenticator(byte[] requestWire, byte[] secret) {
        byte[] expected = signedRequestAuthenticator(requestWire, secret);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(requestWire, AUTH_OFFSET, AUTH_OFFSET + AUTH_LENGTH));
    }

    /**
     * HMAC-MD5 Message-Authenticator over {@code wire} with {@code authenticatorField} in the authenticator position
     * and every Message-Authenticator value zeroed. The wire array is not modified.
     */
    public static byte[] messageAuthenticator(byte[] wire, byte[] authenticatorField, byte[] secret) {
        requireAuthenticator(authenticatorField);
        byte[] copy = Arrays.copyOf(wire, packetLength(wire));
        System.arraycopy(authenticatorField, 0, copy, AUTH_OFFSET, AUTH_LENGTH);
        for (int offset : messageAuthenticatorOffsets(copy)) {
            Arrays.fill(copy, offset, offset + 16, (byte) 0);
        }
        return hmacMd5(secret, copy);
    }

    /**
     * Checks the Message-Authenticator of a received request; the authenticator field used is chosen by the
     * request's code (see class comment). More than one Message-Authenticator is {@link Check#INVALID}.
     */
    public static Check verifyRequestMessageAuthenticator(byte[] requestWire, byte[] secret) {
        int code = requestWire[0] & 0xff;
        byte[] field = RadiusCode.hasSignedRequestAuthenticator(code)
                ? new byte[AUTH_LENGTH]
                : Arrays.copyOfRange(requestWire, AUTH_OFFSET, AUTH_OFFSET + AUTH_LENGTH);
        return verify(requestWire, field, secret);
    }

    /** Checks the Message-Authenticator of a response to a request with {@code requestAuthenticator}. */
    public static Check verifyResponseMessageAuthenticator(byte[] responseWire, byte[] requestAuthenticator, byte[] secret) {
        return verify(responseWire, requestAuthenticator, secret);
    }

    private static Check verify(byte[] wire, byte[] authenticatorField, byte[] secret) {
        int[] offsets = messageAuthenticatorOffsets(wire);
        if (offsets.length == 0) {
            return Check.ABSENT;
        }
        if (offsets.length > 1) {
            return Check.INVALID;
        }
        byte[] expected = messageAuthenticator(wire, authenticatorField, secret);
        byte[] received = Arrays.copyOfRange(wire, offsets[0], offsets[0] + 16);
        return MessageDigest.isEqual(expected, received) ? Check.VALID : Check.INVALID;
    }

    /**
     * Offsets of the 16-octet values of every Message-Authenticator attribute in an encoded packet. Walks only within
     * the Length field; a malformed attribute list ends the walk (the decoder is what rejects such packets).
     */
    static int[] messageAuthenticatorOffsets(byte[] wire) {
        int end = packetLength(wire);
        int[] found = new int[0];
        int position = RadiusPacket.HEADER_LENGTH;
        while (position + 2 <= end) {
            int type = wire[position] & 0xff;
            int length = wire[position + 1] & 0xff;
            if (length < 2 || position + length > end) {
                break;
            }
            if (type == RadiusDictionary.MESSAGE_AUTHENTICATOR && length == 18) {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = position + 2;
            }
            position += length;
        }
        return found;
    }

    private static int packetLength(byte[] wire) {
        if (wire.length < RadiusPacket.HEADER_LENGTH) {
            throw new IllegalArgumentException("not a RADIUS packet: " + wire.length + " octets");
        }
        int length = ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
        if (length < RadiusPacket.HEADER_LENGTH || length > wire.length) {
            throw new IllegalArgumentException("RADIUS Length field " + length + " does not fit the " + wire.length + " octets");
        }
        return length;
    }

    private static byte[] md5Signature(byte[] wire, byte[] authenticatorField, byte[] secret) {
        int length = packetLength(wire);
        MessageDigest md5 = md5();
        md5.update(wire, 0, AUTH_OFFSET);
        md5.update(authenticatorField);
        md5.update(wire, AUTH_OFFSET + AUTH_LENGTH, length - AUTH_OFFSET - AUTH_LENGTH);
        md5.update(secret);
        return md5.digest();
    }

    private static void requireAuthenticator(byte[] authenticator) {
        if (authenticator == null || authenticator.length != AUTH_LENGTH) {
            throw new IllegalArgumentException("an authenticator is 16 octets");
        }
    }

    // One instance per thread and algorithm: JCA's getInstance walks the provider list and allocates on every call,
    // which showed at the top of the server's allocation profile. Each use resets or re-keys the instance.
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is mandatory in every JDK", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC_MD5 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacMD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HMAC-MD5 unavailable", e);
        }
    });

    /** This thread's MD5, reset. */
    static MessageDigest md5() {
        MessageDigest md5 = MD5.get();
        md5.reset();
        return md5;
    }

    static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = HMAC_MD5.get();
            // An empty secret is not a valid HMAC key for the JDK; RADIUS forbids empty secrets anyway.
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC-MD5 unavailable", e);
        }
    }
}
