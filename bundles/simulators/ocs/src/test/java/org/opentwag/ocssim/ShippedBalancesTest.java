package org.opentwag.ocssim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The shipped etc/ocs-balances.csv against etc/hss-subscribers.csv: the lab contract the integration tests rely on. */
class ShippedBalancesTest {
    static final Path ETC = Path.of("../../../etc");
    static final long TIB = 1L << 40;

    @Test
    void everyLabSubscriberHasAGenerousBalanceExceptTheZeroBalanceTestImsi() throws Exception {
        BalanceBook book = new BalanceBook(ETC.resolve("ocs-balances.csv"));
        List<String> imsis = Files.readAllLines(ETC.resolve("hss-subscribers.csv")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("imsi"))
                .map(l -> l.split(",")[0]).toList();
        assertThat(imsis).isNotEmpty().contains("001010000000011");
        for (String imsi : imsis) {
            long expected = imsi.equals("001010000000011") ? 0 : TIB;
            assertThat(book.balance(imsi)).as("balance of %s", imsi).hasValue(expected);
        }
    }
}
