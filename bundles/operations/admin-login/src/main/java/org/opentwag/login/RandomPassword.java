package org.opentwag.login;

import java.security.SecureRandom;

/**
 * Random passwords for an installation: letters and digits only (no character a shell, a properties file or
 * Karaf's "password,roles" syntax would interpret), without look-alikes (0/O, 1/l/I), 24 of them: ~140 bits.
 */
public final class RandomPassword {

    static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public static final int LENGTH = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomPassword() {
    }

    public static String next() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
