package org.opentwag.state.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opentwag.api.check.Finding;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.NasContext;

/** The sealing of values on their own: who can open them, what is refused, what it costs. */
class SealedValueCipherTest {

    static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    static SealedValueCipher cipher(String key, String... previous) {
        return new SealedValueCipher(ClusterKey.parse(key, "clusterKey"),
                ClusterKey.parseList(String.join(",", previous), "clusterPreviousKeys"), false);
    }

    /** An EAP-AKA conversation as eap-aka stores it between round trips: XRES and the session keys in its data. */
    static byte[] conversationWithKeys(byte[] xres) {
        EapConversation conv = new EapConversation("state-1", new NasContext("10.0.0.2", "ap-1",
                "00-11-22-33-44-55:ssid", "66-77-88-99-AA-BB"), 7, 1_000);
        conv.identity("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org");
        conv.data().put("xres", xres);
        conv.data().put("k_aut", new byte[16]);
        conv.data().put("msk", new byte[64]);
        return ValueCodec.write(conv);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void twoWritersWithTheSameKeyReadEachOtherAndTheBytesHoldNothingInClear() throws Exception {
        String key = newKey();
        SealedValueCipher nodeA = cipher(key);
        SealedValueCipher nodeB = cipher(key);
        byte[] xres = "XRES-0123456789ab".getBytes(StandardCharsets.US_ASCII);
        byte[] plain = conversationWithKeys(xres);
        byte[] sealed = nodeA.seal("eap.conversations", "state-1", plain);

        assertThat(nodeB.open("eap.conversations", "state-1", sealed)).isEqualTo(plain);
        assertThat(nodeA.open("eap.conversations", "state-1", sealed)).isEqualTo(plain);
        // what crosses the link: neither the XRES nor the class name nor the JDK serialisation header
        assertThat(contains(plain, xres)).isTrue();
        assertThat(contains(sealed, xres)).isFalse();
        assertThat(contains(sealed, "EapConversation".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(sealed[0]).isEqualTo(SealedValueCipher.FORMAT);
        assertThat(sealed.length).isEqualTo(plain.length + 46);
    }

    @Test
    void noNonceRepeatsAndTheSameValueNeverSealsTheSameTwice() {
        String key = newKey();
        SealedValueCipher writer = cipher(key);
        byte[] plain = "same".getBytes(StandardCharsets.US_ASCII);
        Set<String> nonces = new HashSet<>();
        Set<String> sealedValues = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] s = writer.seal("m", "k", plain);
            nonces.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(s, 2, 30)));
            sealedValues.add(Base64.getEncoder().encodeToString(s));
        }
        assertThat(nonces).hasSize(10_000);
        assertThat(sealedValues).hasSize(10_000);
        // another writer with the same key uses another salt, hence another derived key
        byte[] other = cipher(key).seal("m", "k", plain);
        assertThat(java.util.Arrays.copyOfRange(other, 2, 18))
                .isNotEqualTo(java.util.Arrays.copyOfRange(writer.seal("m", "k", plain), 2, 18));
    }

    @Test
    void anotherKeyOrNoKeyCannotOpen() {
        byte[] sealed = cipher(newKey()).seal("aka.reauth", "4reauth@realm", conversationWithKeys(new byte[16]));
        assertThatThrownBy(() -> cipher(newKey()).open("aka.reauth", "4reauth@realm", sealed))
                .isInstanceOf(ValueProtection.UnreadableValueException.class);
        assertThatThrownBy(() -> ValueProtection.PLAINTEXT.open("aka.reauth", "4reauth@realm", sealed))
                .isInstanceOf(ValueProtection.UnreadableValueException.class)
                .hasMessageContaining("has none");
    }

    @Test
    void aTamperedOrMovedValueIsRefused() {
        String key = newKey();
        SealedValueCipher c = cipher(key);
        byte[] sealed = c.seal("aka.reauth", "4reauth@realm", conversationWithKeys(new byte[16]));
        // every byte matters: header (id, salt, nonce), ciphertext and tag
        for (int i = 1; i < sealed.length; i += 7) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> cipher(key).open("aka.reauth", "4reauth@realm", tampered)).as("byte " + i)
                    .isInstanceOf(ValueProtection.UnreadableValueException.class);
        }
        // the same bytes under another entry or another map: refused (associated data)
        assertThatThrownBy(() -> c.open("aka.reauth", "4other@realm", sealed))
                .isInstanceOf(ValueProtection.UnreadableValueException.class);
        assertThatThrownBy(() -> c.open("aka.pseudonym", "4reauth@realm", sealed))
                .isInstanceOf(ValueProtection.UnreadableValueException.class);
        byte[] truncated = java.util.Arrays.copyOf(sealed, 40);
        assertThatThrownBy(() -> c.open("aka.reauth", "4reauth@realm", truncated))
                .isInstanceOf(ValueProtection.UnreadableValueException.class);
    }

    @Test
    void aValueInClearIsRefusedUnlessPlaintextIsAllowed() throws Exception {
        String key = newKey();
        byte[] clear = ValueProtection.PLAINTEXT.seal("clients", "k", ValueCodec.write("forged"));
        assertThatThrownBy(() -> cipher(key).open("clients", "k", clear))
                .isInstanceOf(ValueProtection.UnreadableValueException.class).hasMessageContaining("not encrypted");
        SealedValueCipher migrating = new SealedValueCipher(ClusterKey.parse(key, "clusterKey"), List.of(), true);
        assertThat(migrating.open("clients", "k", clear)).isEqualTo(clear);
    }

    @Test
    void rotationReadsPreviousKeysAndWritesUnderTheCurrentOne() throws Exception {
        String oldKey = newKey();
        String newKey = newKey();
        byte[] plain = ValueCodec.write("context");
        byte[] underOld = cipher(oldKey).seal("aka.reauth", "k", plain);
        SealedValueCipher rotated = cipher(newKey, oldKey);
        assertThat(rotated.open("aka.reauth", "k", underOld)).isEqualTo(plain);
        byte[] underNew = rotated.seal("aka.reauth", "k", plain);
        assertThat(underNew[1]).isEqualTo(ClusterKey.parse(newKey, "x").id());
        // a member still on the old key alone cannot read what the rotated one wrote
        assertThatThrownBy(() -> cipher(oldKey).open("aka.reauth", "k", underNew))
                .isInstanceOf(ValueProtection.UnreadableValueException.class);
        // and a member that dropped the old key no longer reads values sealed under it
        assertThatThrownBy(() -> cipher(newKey).open("aka.reauth", "k", underOld))
                .isInstanceOf(ValueProtection.UnreadableValueException.class);
    }

    @Test
    void settingsDecideBetweenSealedInClearAndNotStartedWithoutEverPrintingTheKey() {
        String key = newKey();
        LinkProtection sealed = LinkProtection.of(key, "", false);
        assertThat(sealed.protection()).isInstanceOf(SealedValueCipher.class);
        assertThat(sealed.findings()).isEmpty();

        LinkProtection none = LinkProtection.of("", "", false);
        assertThat(none.protection()).isNull();
        assertThat(none.findings()).singleElement().extracting(Finding::severity).isEqualTo(Finding.Severity.WARNING);

        LinkProtection clear = LinkProtection.of("", "", true);
        assertThat(clear.protection()).isSameAs(ValueProtection.PLAINTEXT);
        assertThat(clear.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.UNSAFE);
            assertThat(f.area()).isEqualTo("cluster");
        });

        LinkProtection unresolved = LinkProtection.of("$[secret:opentwag-cluster.key]", "", false);
        assertThat(unresolved.protection()).isNull();
        assertThat(unresolved.problem()).contains("secret:opentwag-cluster.key").contains("did not resolve");

        String shortKey = Base64.getEncoder().encodeToString("fifteen-bytes!!".getBytes(StandardCharsets.US_ASCII));
        LinkProtection weak = LinkProtection.of(shortKey, "", false);
        assertThat(weak.protection()).isNull();
        assertThat(weak.problem()).contains("15 bytes").doesNotContain(shortKey);

        LinkProtection garbage = LinkProtection.of("not base64 at all: " + key, "", false);
        assertThat(garbage.protection()).isNull();
        assertThat(garbage.problem()).doesNotContain(key);

        LinkProtection badPrevious = LinkProtection.of(key, "tooShort", false);
        assertThat(badPrevious.protection()).isNull();
        for (LinkProtection p : List.of(none, clear, unresolved, weak, garbage, badPrevious)) {
            p.findings().forEach(f -> assertThat(f.problem() + f.remedy()).doesNotContain(key));
        }
    }

    /**
     * The cost, measured with a bounded loop (printed, not asserted): seal and open a ~1 KB conversation, after a
     * warm-up. A figure for docs/cluster.md, next to the ~1 ms of a cluster round trip.
     */
    @Test
    void costPerSealAndOpen() throws Exception {
        String key = newKey();
        SealedValueCipher a = cipher(key);
        SealedValueCipher b = cipher(key);
        byte[] plain = conversationWithKeys(new byte[16]);
        int warmup = 20_000;
        int n = 100_000;
        for (int i = 0; i < warmup; i++) {
            b.open("m", "k", a.seal("m", "k", plain));
        }
        long t0 = System.nanoTime();
        byte[] last = null;
        for (int i = 0; i < n; i++) {
            last = a.seal("m", "k", plain);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            b.open("m", "k", last);
        }
        long t2 = System.nanoTime();
        System.out.printf("AES-GCM on a %d-byte value: seal %.2f µs, open %.2f µs (%d each, one thread)%n",
                plain.length, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, n);
        assertThat(b.open("m", "k", last)).isEqualTo(plain);
    }
}
