package org.opentwag.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.vectors.local.subscribers.Subscriber;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

class SubscriberRangeTest {

    @Test
    void theFileTheGeneratorWritesIsTheOneTheHssReadsAndItsUsimsAcceptTheHssVectors(@TempDir Path dir)
            throws Exception {
        SubscriberRange range = new SubscriberRange("001010000000098", 5, "seed-1");
        Path csv = dir.resolve("hss-subscribers.csv");
        range.writeHssSubscribers(csv, 64);
        List<String> problems = new ArrayList<>();
        Map<String, Subscriber> read = SubscriberDatabase.parse(Files.readAllLines(csv), problems);

        assertThat(problems).isEmpty();
        assertThat(read).containsOnlyKeys("001010000000098", "001010000000099", "001010000000100",
                "001010000000101", "001010000000102");
        for (int i = 0; i < 5; i++) {
            SubscriberRange.Subscriber s = range.subscriber(i);
            Subscriber hss = read.get(s.imsi());
            assertThat(hss.ki()).isEqualTo(s.ki());
            assertThat(hss.opc()).isEqualTo(s.opc());
            assertThat(hss.sqn()).isEqualTo(64);
            // The HSS's next vector (SQN + 32) is fresh for the generator's USIM that starts at the file's SQN.
            AuthVector v = AuthenticationCentre.vector(hss.ki(), hss.opc(), hss.amf(), new byte[16], hss.sqn() + 32);
            assertThat(new UsimSimulator(s.ki(), s.opc(), 64).authenticate(v.rand(), v.autn()))
                    .isInstanceOf(UsimSimulator.Answer.Success.class);
        }
    }

    @Test
    void keysDependOnSeedAndImsiOnly() {
        SubscriberRange a = new SubscriberRange("001010000000001", 10, "s");
        SubscriberRange b = new SubscriberRange("001010000000005", 3, "s");
        SubscriberRange c = new SubscriberRange("001010000000001", 10, "t");
        assertThat(a.subscriber(4).ki()).isEqualTo(b.subscriber(0).ki());
        assertThat(a.subscriber(4).opc()).isEqualTo(b.subscriber(0).opc());
        assertThat(a.subscriber(4).ki()).isNotEqualTo(a.subscriber(4).opc()).isNotEqualTo(c.subscriber(4).ki());
        assertThat(a.realm()).isEqualTo("wlan.mnc001.mcc001.3gppnetwork.org");
        assertThat(a.subscriber(0).toString()).doesNotContain(java.util.HexFormat.of().formatHex(a.subscriber(0).ki()));
    }

    @Test
    void rangesThatOverflowTheImsiAreRefused() {
        assertThatThrownBy(() -> new SubscriberRange("999999999999998", 5, "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflow");
    }

    @Test
    void everyRunIsBounded() {
        LoadOptions o = LoadOptions.parse("--subscribers", "10", "--concurrency", "4").validate();
        assertThat(o.durationSeconds).isEqualTo(60);
        assertThatThrownBy(() -> LoadOptions.parse("--subscribers", "2", "--concurrency", "4").validate())
                .hasMessageContaining("one conversation per UE");
        LoadOptions m = LoadOptions.parse("--mix", "aka=2,aka-prime=1,reauth=3", "--server", "10.0.0.1:2812");
        assertThat(new int[]{m.mixAka, m.mixAkaPrime, m.mixReauth}).containsExactly(2, 1, 3);
        assertThat(m.acctPort).isEqualTo(2813);
    }
}
