package org.opentwag.vectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opentwag.vectors.local.Fixtures.HEX;
import static org.opentwag.vectors.local.Fixtures.KI;
import static org.opentwag.vectors.local.Fixtures.OPC;
import static org.opentwag.vectors.local.Fixtures.fetch;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.vectors.local.internal.LocalVectorSource;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

/** The proposed etc/hss-subscribers.csv does what its comments promise for a USIM configured as in the lab. */
class DefaultSubscriberFileTest {

    @TempDir
    Path dir;
    SubscriberDatabase db;
    LocalVectorSource source;

    @BeforeEach
    void load() throws Exception {
        Path csv = dir.resolve("hss-subscribers.csv");
        // The very file the distribution ships (top-level etc/).
        try (InputStream in = java.nio.file.Files.newInputStream(Path.of(
                System.getProperty("opentwag.vectors.dir", "../../../vectors"), "..", "etc", "hss-subscribers.csv"))) {
            Files.copy(in, csv);
        }
        db = new SubscriberDatabase(csv, dir.resolve("sqn.properties"));
        source = new LocalVectorSource(db, 0);
    }

    private static UsimSimulator labUsim() {
        return new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
    }

    @Test
    void everyLineLoads() {
        assertThat(db.loadProblems()).isEmpty();
        assertThat(db.size()).isEqualTo(7);
        db.imsis().forEach(imsi -> assertThat(db.find(imsi).orElseThrow().amf()).isEqualTo(HEX.parseHex("8000")));
    }

    @Test
    void theLabUsimAcceptsTheLabSubscriberFirstTime() {
        AuthVector v = fetch(source, "001010000000001", AuthScheme.EAP_AKA_PRIME);
        assertThat(labUsim().authenticate(v.rand(), v.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
    }

    @Test
    void theWrongKiSubscriberFailsMacA() {
        AuthVector v = fetch(source, "001010000000090", AuthScheme.EAP_AKA);
        assertThat(labUsim().authenticate(v.rand(), v.autn())).isInstanceOf(UsimSimulator.Answer.MacFailure.class);
    }

    @Test
    void theResyncSubscriberGoesThroughAuts() {
        UsimSimulator usim = labUsim();
        AuthVector stale = fetch(source, "001010000000099", AuthScheme.EAP_AKA);
        UsimSimulator.Answer a = usim.authenticate(stale.rand(), stale.autn());
        assertThat(a).isInstanceOf(UsimSimulator.Answer.SyncFailure.class);
        AuthVector fresh = source.resynchronize(new VectorRequest("001010000000099", AuthScheme.EAP_AKA, null),
                stale.rand(), ((UsimSimulator.Answer.SyncFailure) a).auts()).toCompletableFuture().join();
        assertThat(usim.authenticate(fresh.rand(), fresh.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        assertThat(usim.highestSqn()).isEqualTo(0x40);
    }
}
