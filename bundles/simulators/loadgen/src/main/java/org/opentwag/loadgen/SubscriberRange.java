package org.opentwag.loadgen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A block of simulated subscribers: consecutive IMSIs from {@code firstImsi}, with Ki and OPc derived from a seed
 * (HMAC-SHA-256(seed, "ki"|IMSI) and (seed, "opc"|IMSI), first 16 bytes each), so the generator and the HSS
 * simulator's subscriber file agree without exchanging keys, and the same seed always writes the same file.
 */
public record SubscriberRange(String firstImsi, int count, String seed) {

    /** AMF with the separation bit set, which EAP-AKA' peers require (TS 33.402 6.1) and EAP-AKA ignores. */
    public static final String AMF = "8000";

    public record Subscriber(String imsi, byte[] ki, byte[] opc) {
        @Override
        public String toString() {
            return "Subscriber[" + imsi + ", keys hidden]";
        }
    }

    public SubscriberRange {
        if (!firstImsi.matches("\\d{6,15}")) {
            throw new IllegalArgumentException("IMSI start must be 6 to 15 digits: " + firstImsi);
        }
        if (seed == null || seed.isEmpty()) {
            throw new IllegalArgumentException("the key seed must not be empty");
        }
        if (count < 1) {
            throw new IllegalArgumentException("subscriber count must be at least 1: " + count);
        }
        if (String.valueOf(Long.parseLong(firstImsi) + count - 1).length() > firstImsi.length()) {
            throw new IllegalArgumentException(count + " subscribers from " + firstImsi + " overflow "
                    + firstImsi.length() + " digits");
        }
    }

    public String imsi(int index) {
        String digits = String.valueOf(Long.parseLong(firstImsi) + index);
        return "0".repeat(firstImsi.length() - digits.length()) + digits;
    }

    public Subscriber subscriber(int index) {
        String imsi = imsi(index);
        return new Subscriber(imsi, derive("ki", imsi), derive("opc", imsi));
    }

    /** NAI realm of TS 23.003 19.3.2 from the IMSI's MCC and a two-digit MNC: wlan.mnc0NN.mccMMM.3gppnetwork.org. */
    public String realm() {
        return "wlan.mnc0" + firstImsi.substring(3, 5) + ".mcc" + firstImsi.substring(0, 3) + ".3gppnetwork.org";
    }

    /**
     * Writes the HSS simulator's / local vector source's subscriber file (etc/hss-subscribers.csv format:
     * imsi,ki,opc,amf,sqn in hex), every subscriber starting at {@code sqn}.
     */
    public void writeHssSubscribers(Path file, long sqn) throws IOException {
        HexFormat hex = HexFormat.of();
        String sqnHex = String.format("%012x", sqn);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("# Written by the OpenTWAG load generator: " + count + " subscribers from " + firstImsi
                    + ", keys derived from a seed.\n# imsi,ki,opc,amf,sqn (hex)\n");
            for (int i = 0; i < count; i++) {
                Subscriber s = subscriber(i);
                w.write(s.imsi() + "," + hex.formatHex(s.ki()) + "," + hex.formatHex(s.opc()) + "," + AMF + ","
                        + sqnHex + "\n");
            }
        }
    }

    /** Writes the OCS simulator's balances file (etc/ocs-balances.csv format: imsi,balance_octets). */
    public void writeOcsBalances(Path file, long balanceOctets) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("# Written by the OpenTWAG load generator: imsi,balance_octets\n");
            for (int i = 0; i < count; i++) {
                w.write(imsi(i) + "," + balanceOctets + "\n");
            }
        }
    }

    private byte[] derive(String label, String imsi) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '|');
            return Arrays.copyOf(mac.doFinal(imsi.getBytes(StandardCharsets.US_ASCII)), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
