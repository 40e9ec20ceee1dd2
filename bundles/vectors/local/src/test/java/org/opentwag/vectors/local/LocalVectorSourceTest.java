package org.opentwag.vectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opentwag.vectors.local.Fixtures.HEX;
import static org.opentwag.vectors.local.Fixtures.IMSI;
import static org.opentwag.vectors.local.Fixtures.KI;
import static org.opentwag.vectors.local.Fixtures.OPC;
import static org.opentwag.vectors.local.Fixtures.fetch;
import static org.opentwag.vectors.local.Fixtures.hex;
import static org.opentwag.vectors.local.Fixtures.line;
import static org.opentwag.vectors.local.Fixtures.writeCsv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.vectors.local.internal.LocalVectorSource;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

class LocalVectorSourceTest {

    @TempDir
    Path dir;

    private LocalVectorSource source(String... lines) throws Exception {
        return new LocalVectorSource(new SubscriberDatabase(writeCsv(dir.resolve("hss-subscribers.csv"), lines),
                dir.resolve("sqn.properties")), 0);
    }

    static Stream<JsonNode> ts35208Sets() throws Exception {
        return StreamSupport.stream(Fixtures.vectors("milenage.json").get("sets").spliterator(), false);
    }

    /** A subscriber holding a test set's K/OPc/AMF, one step before its SQN, and the set's RAND. */
    private LocalVectorSource sourceFor(JsonNode set) throws Exception {
        long sqn = Long.parseLong(set.get("sqn").asText(), 16);
        String csvLine = "001010000000100," + set.get("k").asText() + "," + set.get("opc").asText() + ","
                + set.get("amf").asText() + "," + Long.toHexString(sqn - SubscriberDatabase.SQN_STEP);
        SubscriberDatabase db = new SubscriberDatabase(writeCsv(dir.resolve("hss-subscribers.csv"), csvLine),
                dir.resolve("sqn.properties"));
        return new LocalVectorSource(db, 0, () -> hex(set, "rand"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ts35208Sets")
    void akaVectorsCarryThePublishedMilenageOutputs(JsonNode set) throws Exception {
        AuthVector v = fetch(sourceFor(set), "001010000000100", AuthScheme.EAP_AKA);
        byte[] sqnXorAk = xor(hex(set, "sqn"), hex(set, "f5"));
        assertThat(v.rand()).isEqualTo(hex(set, "rand"));
        assertThat(Arrays.copyOfRange(v.autn(), 0, 6)).as("SQN xor AK").isEqualTo(sqnXorAk);
        assertThat(Arrays.copyOfRange(v.autn(), 6, 8)).as("AMF").isEqualTo(hex(set, "amf"));
        assertThat(Arrays.copyOfRange(v.autn(), 8, 16)).as("MAC-A").isEqualTo(hex(set, "f1"));
        assertThat(v.xres()).isEqualTo(hex(set, "f2"));
        assertThat(v.ck()).isEqualTo(hex(set, "f3"));
        assertThat(v.ik()).isEqualTo(hex(set, "f4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ts35208Sets")
    void akaPrimeVectorsCarryCkIkPrimeOfThePublishedCkIk(JsonNode set) throws Exception {
        AuthVector v = fetch(sourceFor(set), "001010000000100", AuthScheme.EAP_AKA_PRIME);
        // TS 33.402 A.2 written out here independently of AkaPrimeKeys: S = 0x20 || "WLAN" || 0x0004 || SQN^AK || 0x0006
        byte[] name = "WLAN".getBytes(StandardCharsets.US_ASCII);
        byte[] s = ByteBuffer.allocate(15).put((byte) 0x20).put(name).putShort((short) 4)
                .put(xor(hex(set, "sqn"), hex(set, "f5"))).putShort((short) 6).array();
        Mac hmac = Mac.getInstance("HmacSHA256");
        byte[] key = ByteBuffer.allocate(32).put(hex(set, "f3")).put(hex(set, "f4")).array();
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] out = hmac.doFinal(s);
        assertThat(v.ck()).isEqualTo(Arrays.copyOfRange(out, 0, 16));
        assertThat(v.ik()).isEqualTo(Arrays.copyOfRange(out, 16, 32));
        assertThat(v.xres()).isEqualTo(hex(set, "f2"));
    }

    @Test
    void vectorsAreAcceptedByAnIndependentUsimAndSqnAdvancesBy32() throws Exception {
        LocalVectorSource source = source(line(IMSI, KI, "8000", "000000000020"));
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        for (int i = 0; i < 3; i++) {
            AuthVector v = fetch(source, IMSI, AuthScheme.EAP_AKA);
            UsimSimulator.Answer a = usim.authenticate(v.rand(), v.autn());
            assertThat(a).isInstanceOf(UsimSimulator.Answer.Success.class);
            UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) a;
            assertThat(ok.res()).isEqualTo(v.xres());
            assertThat(ok.ck()).isEqualTo(v.ck());
            assertThat(ok.ik()).isEqualTo(v.ik());
            assertThat(usim.highestSqn()).isEqualTo(0x20 + (i + 1) * 32L);
        }
    }

    @Test
    void aWrongKiIsRejectedByTheUsim() throws Exception {
        String otherKi = "000102030405060708090a0b0c0d0e0f";
        LocalVectorSource source = source(line("001010000000002", otherKi, "8000", "000000000020"));
        AuthVector v = fetch(source, "001010000000002", AuthScheme.EAP_AKA);
        assertThat(new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20).authenticate(v.rand(), v.autn()))
                .isInstanceOf(UsimSimulator.Answer.MacFailure.class);
    }

    @Test
    void resynchronisationFollowsTheUsim() throws Exception {
        String imsi = "001010000000003";
        LocalVectorSource source = source(line(imsi, KI, "8000", "000000000000"));
        long usimSqn = 0x000010000000L;
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), usimSqn);
        AuthVector stale = fetch(source, imsi, AuthScheme.EAP_AKA);
        UsimSimulator.Answer a = usim.authenticate(stale.rand(), stale.autn());
        assertThat(a).isInstanceOf(UsimSimulator.Answer.SyncFailure.class);
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) a).auts();

        VectorRequest request = new VectorRequest(imsi, AuthScheme.EAP_AKA, null);
        AuthVector fresh = source.resynchronize(request, stale.rand(), auts).toCompletableFuture().join();
        assertThat(usim.authenticate(fresh.rand(), fresh.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        // SQN_MS + 32: the smallest fresh SQN with IND 0 after the USIM's.
        assertThat(usim.highestSqn()).isEqualTo(usimSqn + 32);

        byte[] forged = auts.clone();
        forged[10] ^= 1;
        assertReason(() -> source.resynchronize(request, stale.rand(), forged).toCompletableFuture().join(),
                VectorSourceException.Reason.RESYNC_FAILED);
        assertReason(() -> source.resynchronize(request, stale.rand(), new byte[5]).toCompletableFuture().join(),
                VectorSourceException.Reason.RESYNC_FAILED);
    }

    @Test
    void resynchronisationNeverMovesTheSqnBackwards() throws Exception {
        String imsi = "001010000000003";
        LocalVectorSource source = source(line(imsi, KI, "8000", "000000100000"));
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        AuthVector first = fetch(source, imsi, AuthScheme.EAP_AKA);
        // An AUTS claiming a lower SQN_MS (a USIM that was reset) does not make us reissue old SQNs.
        UsimSimulator low = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        AuthVector old = org.opentwag.milenage.AuthenticationCentre.vector(HEX.parseHex(KI), HEX.parseHex(OPC),
                HEX.parseHex("8000"), first.rand(), 0x20);
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) low.authenticate(old.rand(), old.autn())).auts();
        AuthVector next = source.resynchronize(new VectorRequest(imsi, AuthScheme.EAP_AKA, null), old.rand(), auts)
                .toCompletableFuture().join();
        assertThat(usim.authenticate(first.rand(), first.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        assertThat(usim.authenticate(next.rand(), next.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        assertThat(usim.highestSqn()).isEqualTo(0x100000 + 64);
    }

    @Test
    void anUnknownImsiIsUserUnknownForFetchAndResync() throws Exception {
        LocalVectorSource source = source(line(IMSI, KI, "8000", "0"));
        assertReason(() -> fetch(source, "001019999999999", AuthScheme.EAP_AKA),
                VectorSourceException.Reason.USER_UNKNOWN);
        assertReason(() -> source.resynchronize(new VectorRequest("001019999999999", AuthScheme.EAP_AKA, null),
                new byte[16], new byte[14]).toCompletableFuture().join(), VectorSourceException.Reason.USER_UNKNOWN);
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                                     VectorSourceException.Reason reason) {
        assertThatThrownBy(call).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(VectorSourceException.class)
                .satisfies(e -> assertThat(((VectorSourceException) e).reason()).isEqualTo(reason));
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
