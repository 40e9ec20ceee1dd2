package org.opentwag.diameter.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;

class AnswerCacheTest {

    private static DiameterMessage request(int endToEnd) {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, "twag;1;" + endToEnd))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, "epc.example"))
                .endToEnd(endToEnd).hopByHop(endToEnd).build();
    }

    private static DiameterMessage answer(DiameterMessage request) {
        return DiameterMessage.answerTo(request).resultCode(ResultCodes.DIAMETER_SUCCESS).build();
    }

    /** Records the request, then sends its answer; returns the answer. */
    private static DiameterMessage serve(AnswerCache cache, DiameterMessage request) {
        CompletableFuture<DiameterMessage> coming = new CompletableFuture<>();
        assertThat(cache.lookupOrRecord("twag.example", request, coming)).isNull();
        DiameterMessage a = answer(request);
        cache.sent("twag.example", request.endToEnd(), coming, a.encode());
        return a;
    }

    @Test
    void aRetransmissionGetsTheAnswerSentOrTheOneToCome() throws Exception {
        AnswerCache cache = new AnswerCache(60_000_000_000L, 100, DiameterMessage::decode);
        DiameterMessage first = request(7);
        DiameterMessage sent = serve(cache, first);
        DiameterMessage again = cache.lookupOrRecord("twag.example", first.withRetransmittedFlag(),
                new CompletableFuture<>()).toCompletableFuture().get();
        assertThat(again.encode()).isEqualTo(sent.encode());
        // Not yet answered: the retransmission waits for the same answer.
        CompletableFuture<DiameterMessage> coming = new CompletableFuture<>();
        assertThat(cache.lookupOrRecord("twag.example", request(8), coming)).isNull();
        assertThat(cache.lookupOrRecord("twag.example", request(8).withRetransmittedFlag(),
                new CompletableFuture<>())).isSameAs(coming);
        // Without the T flag the same ids are a new request.
        assertThat(cache.lookupOrRecord("twag.example", first, new CompletableFuture<>())).isNull();
    }

    @Test
    void theOldestAnswersGoFirstWhenFullAndExpiredOnesAreNotReplayed() {
        AnswerCache cache = new AnswerCache(60_000_000_000L, 100, DiameterMessage::decode);
        for (int e2e = 0; e2e < 1000; e2e++) {
            serve(cache, request(e2e));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
        assertThat(cache.lookupOrRecord("twag.example", request(999).withRetransmittedFlag(),
                new CompletableFuture<>())).as("newest kept").isNotNull();
        assertThat(cache.lookupOrRecord("twag.example", request(0).withRetransmittedFlag(),
                new CompletableFuture<>())).as("oldest evicted").isNull();

        AnswerCache shortLived = new AnswerCache(1, 100, DiameterMessage::decode); // 1 ns window
        serve(shortLived, request(1));
        assertThat(shortLived.lookupOrRecord("twag.example", request(1).withRetransmittedFlag(),
                new CompletableFuture<>())).isNull();
    }
}
