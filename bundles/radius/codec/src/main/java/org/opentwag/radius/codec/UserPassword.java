package org.opentwag.radius.codec;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * User-Password hiding, RFC 2865 section 5.2: the password, NUL-padded to a multiple of 16 octets (at most 128), is
 * XORed with b1 = MD5(S + RA), b2 = MD5(S + c1), ... where S is the shared secret and RA the Request Authenticator.
 */
public final class UserPassword {
    public static final int MAX_LENGTH = 128;

    private UserPassword() {
    }

    /** The hidden value to put in a User-Password attribute. */
    public static byte[] hide(byte[] password, byte[] requestAuthenticator, byte[] secret) {
        if (password.length > MAX_LENGTH) {
            throw new IllegalArgumentException("User-Password longer than 128 octets");
        }
        int padded = Math.max(16, (password.length + 15) / 16 * 16);
        byte[] text = Arrays.copyOf(password, padded);
        return xorChain(text, requestAuthenticator, secret, true);
    }

    /** The password from a hidden User-Password value, with its NUL padding removed. */
    public static byte[] reveal(byte[] hidden, byte[] requestAuthenticator, byte[] secret) throws RadiusDecodeException {
        if (hidden.length < 16 || hidden.length > MAX_LENGTH || hidden.length % 16 != 0) {
            throw new RadiusDecodeException("User-Password of " + hidden.length
                    + " octets is not a multiple of 16 between 16 and 128", RadiusDictionary.USER_PASSWORD);
        }
        byte[] plain = xorChain(hidden.clone(), requestAuthenticator, secret, false);
        int length = plain.length;
        while (length > 0 && plain[length - 1] == 0) {
            length--;
        }
        return Arrays.copyOf(plain, length);
    }

    /** In place: each block is XORed with MD5(secret + previous ciphertext block), the first with MD5(secret + RA). */
    private static byte[] xorChain(byte[] data, byte[] requestAuthenticator, byte[] secret, boolean encrypting) {
        if (requestAuthenticator.length != 16) {
            throw new IllegalArgumentException("Request Authenticator is 16 octets");
        }
        byte[] previous = requestAuthenticator;
        for (int block = 0; block < data.length; block += 16) {
            MessageDigest md5 = RadiusAuthenticators.md5();
            md5.update(secret);
            md5.update(previous);
            byte[] pad = md5.digest();
            byte[] cipherBlock = encrypting ? null : Arrays.copyOfRange(data, block, block + 16);
            for (int i = 0; i < 16; i++) {
                data[block + i] ^= pad[i];
            }
            previous = encrypting ? Arrays.copyOfRange(data, block, block + 16) : cipherBlock;
        }
        return data;
    }
}
