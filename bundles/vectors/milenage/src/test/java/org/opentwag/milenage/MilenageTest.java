package org.opentwag.milenage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.AuthVector;

/** Every TS 35.208 test set, every function. */
class MilenageTest {

    static Stream<JsonNode> sets() throws Exception {
        return StreamSupport.stream(Vectors.load("milenage.json").get("sets").spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void ts35208(JsonNode set) {
        byte[] k = Vectors.hex(set, "k");
        byte[] rand = Vectors.hex(set, "rand");
        byte[] sqn = Vectors.hex(set, "sqn");
        byte[] amf = Vectors.hex(set, "amf");
        assertThat(Milenage.opc(k, Vectors.hex(set, "op"))).isEqualTo(Vectors.hex(set, "opc"));
        Milenage m = new Milenage(k, Vectors.hex(set, "opc"));
        assertThat(m.f1(rand, sqn, amf)).isEqualTo(Vectors.hex(set, "f1"));
        assertThat(m.f1star(rand, sqn, amf)).isEqualTo(Vectors.hex(set, "f1star"));
        Milenage.Output o = m.f2345(rand);
        assertThat(o.res()).isEqualTo(Vectors.hex(set, "f2"));
        assertThat(o.ck()).isEqualTo(Vectors.hex(set, "f3"));
        assertThat(o.ik()).isEqualTo(Vectors.hex(set, "f4"));
        assertThat(o.ak()).isEqualTo(Vectors.hex(set, "f5"));
        assertThat(m.f5star(rand)).isEqualTo(Vectors.hex(set, "f5star"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void theAucVectorCarriesThePublishedValues(JsonNode set) {
        byte[] k = Vectors.hex(set, "k");
        byte[] opc = Vectors.hex(set, "opc");
        byte[] sqn = Vectors.hex(set, "sqn");
        AuthVector v = AuthenticationCentre.vector(k, opc, Vectors.hex(set, "amf"), Vectors.hex(set, "rand"),
                Sqn.fromBytes(sqn));
        byte[] concealed = new byte[6];
        byte[] ak = Vectors.hex(set, "f5");
        for (int i = 0; i < 6; i++) {
            concealed[i] = (byte) (sqn[i] ^ ak[i]);
        }
        assertThat(HexFormat.of().formatHex(v.autn())).isEqualTo(HexFormat.of().formatHex(concealed)
                + set.get("amf").asText() + set.get("f1").asText());
        assertThat(v.xres()).isEqualTo(Vectors.hex(set, "f2"));
        assertThat(v.ck()).isEqualTo(Vectors.hex(set, "f3"));
        assertThat(v.ik()).isEqualTo(Vectors.hex(set, "f4"));
    }

    /**
     * The AuC keys one cipher per thread for each vector: vectors of different keys made in turn on several threads at
     * once must each still carry their own set's published values (a cipher shared between threads, or left keyed
     * with the previous subscriber's K, would not).
     */
    @Test
    void vectorsOfDifferentKeysOnSeveralThreadsAtOnceCarryTheirOwnValues() throws Exception {
        List<JsonNode> all = sets().toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        JsonNode set = all.get((first + i) % all.size());
                        byte[] sqn = Vectors.hex(set, "sqn");
                        AuthVector v = AuthenticationCentre.vector(Vectors.hex(set, "k"), Vectors.hex(set, "opc"),
                                Vectors.hex(set, "amf"), Vectors.hex(set, "rand"), Sqn.fromBytes(sqn));
                        assertThat(Arrays.copyOfRange(v.autn(), 8, 16)).isEqualTo(Vectors.hex(set, "f1"));
                        assertThat(v.xres()).isEqualTo(Vectors.hex(set, "f2"));
                        assertThat(v.ck()).isEqualTo(Vectors.hex(set, "f3"));
                        assertThat(v.ik()).isEqualTo(Vectors.hex(set, "f4"));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void usimAcceptsAFreshVectorAndResynchronisesAStaleOne() throws Exception {
        JsonNode set = sets().findFirst().orElseThrow();
        byte[] k = Vectors.hex(set, "k");
        byte[] opc = Vectors.hex(set, "opc");
        byte[] rand = Vectors.hex(set, "rand");
        byte[] amf = HexFormat.of().parseHex("8000");
        UsimSimulator usim = new UsimSimulator(k, opc, 0x1000);

        AuthVector fresh = AuthenticationCentre.vector(k, opc, amf, rand, 0x1020);
        UsimSimulator.Answer ok = usim.authenticate(fresh.rand(), fresh.autn());
        assertThat(ok).isInstanceOf(UsimSimulator.Answer.Success.class);
        assertThat(((UsimSimulator.Answer.Success) ok).res()).isEqualTo(fresh.xres());
        assertThat(usim.highestSqn()).isEqualTo(0x1020);

        // The same SQN again is stale: the USIM answers AUTS, from which the AuC recovers the USIM's SQN.
        UsimSimulator.Answer stale = usim.authenticate(fresh.rand(), fresh.autn());
        assertThat(stale).isInstanceOf(UsimSimulator.Answer.SyncFailure.class);
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) stale).auts();
        assertThat(AuthenticationCentre.verifyAuts(k, opc, rand, auts)).isEqualTo(0x1020);
        auts[13] ^= 1;
        assertThat(AuthenticationCentre.verifyAuts(k, opc, rand, auts)).isEqualTo(-1);

        // A vector made with another K fails MAC-A at the USIM.
        byte[] otherK = k.clone();
        otherK[0] ^= 1;
        AuthVector forged = AuthenticationCentre.vector(otherK, opc, amf, rand, 0x2000);
        assertThat(usim.authenticate(forged.rand(), forged.autn())).isInstanceOf(UsimSimulator.Answer.MacFailure.class);
    }
}
