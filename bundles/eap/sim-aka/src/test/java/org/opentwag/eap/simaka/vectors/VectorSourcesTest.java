package org.opentwag.eap.simaka.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;

/** Which vector source a SIM/AKA method uses, as sources come and go and as its component retires. */
class VectorSourcesTest {
    private static final class Source implements AuthVectorSource {
        public CompletionStage<AuthVector> fetch(VectorRequest r) {
            throw new UnsupportedOperationException();
        }

        public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
            throw new UnsupportedOperationException();
        }
    }

    private final Source swx = new Source();
    private final Source local = new Source();

    @Test
    void theConfiguredSourceIsPickedByItsPropertyAndIsAbsentUntilItComes() {
        VectorSources s = new VectorSources();
        s.add(local, Map.of(AuthVectorSource.SOURCE_PROPERTY, "local"));
        assertThat(s.current()).as("swx is the default and not there yet").isNull();
        s.add(swx, Map.of(AuthVectorSource.SOURCE_PROPERTY, "swx"));
        assertThat(s.current()).isSameAs(swx);
        s.want("local");
        assertThat(s.current()).isSameAs(local);
        s.remove(local);
        assertThat(s.current()).isNull();
    }

    @Test
    void aRetiredInstanceKeepsTheSourceItsConversationsStartedWith() {
        VectorSources s = new VectorSources();
        s.add(swx, Map.of(AuthVectorSource.SOURCE_PROPERTY, "swx"));
        s.retire();
        s.remove(swx);
        assertThat(s.current()).isSameAs(swx);
    }
}
