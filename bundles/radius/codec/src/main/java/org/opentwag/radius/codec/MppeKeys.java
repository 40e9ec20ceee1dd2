package org.opentwag.radius.codec;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Salt-encryption of MS-MPPE-Send-Key / MS-MPPE-Recv-Key, RFC 2548 sections 2.4.2 and 2.4.3. The value on the wire is
 * Salt(2, most significant bit set, unique per packet) || C, where P = Key-Length(1) || Key || zero padding to a
 * multiple of 16, b(1) = MD5(S + R + Salt), c(i) = p(i) XOR b(i), b(i) = MD5(S + c(i-1)); S is the shared secret and
 * R the Request Authenticator of the Access-Request being answered.
 */
public final class MppeKeys {
    /** What fits in a 247-octet vendor value: 2 salt octets, then 15 blocks of 16 holding Key-Length and the key. */
    public static final int MAX_KEY_LENGTH = 239;

    private MppeKeys() {
    }

    /** The attribute value (salt + ciphertext) for {@code key}. */
    public static byte[] encrypt(byte[] key, byte[] requestAuthenticator, byte[] secret, int salt) {
        if (key.length > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("MPPE key longer than " + MAX_KEY_LENGTH + " octets");
        }
        if ((salt & 0x8000) == 0 || salt > 0xFFFF || salt < 0) {
            throw new IllegalArgumentException("MPPE salt must be 16 bits with the most significant bit set");
        }
        int padded = (key.length + 1 + 15) / 16 * 16;
        byte[] plain = new byte[padded];
        plain[0] = (byte) key.length;
        System.arraycopy(key, 0, plain, 1, key.length);
        byte[] saltBytes = {(byte) (salt >>> 8), (byte) salt};
        byte[] out = new byte[2 + padded];
        out[0] = saltBytes[0];
        out[1] = saltBytes[1];
        byte[] previous = null;
        for (int block = 0; block < padded; block += 16) {
            byte[] pad = pad(secret, requestAuthenticator, saltBytes, previous);
            for (int i = 0; i < 16; i++) {
                out[2 + block + i] = (byte) (plain[block + i] ^ pad[i]);
            }
            previous = Arrays.copyOfRange(out, 2 + block, 2 + block + 16);
        }
        return out;
    }

    /** The key from an attribute value (salt + ciphertext). */
    public static byte[] decrypt(byte[] value, byte[] requestAuthenticator, byte[] secret) throws RadiusDecodeException {
        if (value.length < 18 || (value.length - 2) % 16 != 0) {
            throw new RadiusDecodeException("MS-MPPE key value of " + value.length
                    + " octets is not a 2-octet salt followed by 16-octet blocks", RadiusDictionary.VENDOR_SPECIFIC_TYPE);
        }
        if ((value[0] & 0x80) == 0) {
            throw new RadiusDecodeException("MS-MPPE key salt lacks its most significant bit", RadiusDictionary.VENDOR_SPECIFIC_TYPE);
        }
        byte[] saltBytes = {value[0], value[1]};
        byte[] plain = new byte[value.length - 2];
        byte[] previous = null;
        for (int block = 0; block < plain.length; block += 16) {
            byte[] pad = pad(secret, requestAuthenticator, saltBytes, previous);
            for (int i = 0; i < 16; i++) {
                plain[block + i] = (byte) (value[2 + block + i] ^ pad[i]);
            }
            previous = Arrays.copyOfRange(value, 2 + block, 2 + block + 16);
        }
        int keyLength = plain[0] & 0xff;
        if (keyLength > plain.length - 1) {
            throw new RadiusDecodeException("MS-MPPE Key-Length " + keyLength + " exceeds the " + (plain.length - 1)
                    + " decrypted octets (wrong secret?)", RadiusDictionary.VENDOR_SPECIFIC_TYPE);
        }
        return Arrays.copyOfRange(plain, 1, 1 + keyLength);
    }

    private static byte[] pad(byte[] secret, byte[] requestAuthenticator, byte[] salt, byte[] previousCipherBlock) {
        MessageDigest md5 = RadiusAuthenticators.md5();
        md5.update(secret);
        if (previousCipherBlock == null) {
            if (requestAuthenticator.length != 16) {
                throw new IllegalArgumentException("Request Authenticator is 16 octets");
            }
            md5.update(requestAuthenticator);
            md5.update(salt);
        } else {
            md5.update(previousCipherBlock);
        }
        return md5.digest();
    }
}
