package org.opentwag.vectors.local.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.vectors.local.subscribers.Subscriber;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vectors computed here from the subscriber file with Milenage, behaving as an HSS does: for EAP-AKA' the keys
 * returned are CK'/IK' bound to the requested access network name. For labs and private networks.
 */
public final class LocalVectorSource implements AuthVectorSource {

    private static final Logger LOG = LoggerFactory.getLogger(LocalVectorSource.class);
    /** TS 24.302: the access network identity of WLAN, used when the request names none. */
    static final String DEFAULT_NETWORK_NAME = "WLAN";

    private final SubscriberDatabase subscribers;
    private final long resyncExtraSteps;
    private final Supplier<byte[]> randSource;

    public LocalVectorSource(SubscriberDatabase subscribers, long resyncExtraSteps) {
        this(subscribers, resyncExtraSteps, secureRandomRand());
    }

    /** @param randSource where RANDs come from; tests pass the fixed RAND of a published test set */
    public LocalVectorSource(SubscriberDatabase subscribers, long resyncExtraSteps, Supplier<byte[]> randSource) {
        if (resyncExtraSteps < 0) {
            throw new IllegalArgumentException("resyncExtraSteps must not be negative");
        }
        this.subscribers = subscribers;
        this.resyncExtraSteps = resyncExtraSteps;
        this.randSource = randSource;
    }

    private static Supplier<byte[]> secureRandomRand() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] rand = new byte[16];
            random.nextBytes(rand);
            return rand;
        };
    }

    @Override
    public CompletionStage<AuthVector> fetch(VectorRequest request) {
        try {
            return CompletableFuture.completedFuture(vector(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(asVectorSourceException(e, request));
        }
    }

    @Override
    public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
        try {
            Subscriber s = subscriber(request.imsi());
            long sqnMs;
            try {
                sqnMs = AuthenticationCentre.verifyAuts(s.ki(), s.opc(), rand, auts);
            } catch (IllegalArgumentException e) {
                throw new VectorSourceException(VectorSourceException.Reason.RESYNC_FAILED,
                        "malformed resynchronisation for IMSI " + request.imsi() + ": " + e.getMessage());
            }
            if (sqnMs < 0) {
                throw new VectorSourceException(VectorSourceException.Reason.RESYNC_FAILED,
                        "AUTS does not verify (MAC-S) for IMSI " + request.imsi());
            }
            long before = subscribers.currentSqn(s);
            subscribers.resynchronize(s, sqnMs, resyncExtraSteps);
            LOG.info("Resynchronised IMSI {}: SQN_MS {} (ours was {})", request.imsi(), Long.toHexString(sqnMs),
                    Long.toHexString(before));
            return CompletableFuture.completedFuture(vector(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(asVectorSourceException(e, request));
        }
    }

    /** The SPI promises VectorSourceException; anything else here means the SQN could not be made durable. */
    private static VectorSourceException asVectorSourceException(RuntimeException e, VectorRequest request) {
        if (e instanceof VectorSourceException vse) {
            return vse;
        }
        LOG.error("No vector for IMSI {}: {}", request.imsi(), e.toString());
        return new VectorSourceException(VectorSourceException.Reason.UNAVAILABLE,
                "local vector source failed for IMSI " + request.imsi() + ": " + e.getMessage(), e);
    }

    private Subscriber subscriber(String imsi) {
        return subscribers.find(imsi).orElseThrow(() -> new VectorSourceException(
                VectorSourceException.Reason.USER_UNKNOWN, "IMSI " + imsi + " is not in the subscriber file"));
    }

    private AuthVector vector(VectorRequest request) {
        Subscriber s = subscriber(request.imsi());
        byte[] rand = randSource.get();
        AuthVector v = AuthenticationCentre.vector(s.ki(), s.opc(), s.amf(), rand, subscribers.nextSqn(s));
        if (request.scheme() == AuthScheme.EAP_AKA_PRIME) {
            String name = request.accessNetworkName() == null || request.accessNetworkName().isEmpty()
                    ? DEFAULT_NETWORK_NAME : request.accessNetworkName();
            byte[][] keys = AkaPrimeKeys.deriveCkIkPrime(v.ck(), v.ik(), name, Arrays.copyOfRange(v.autn(), 0, 6));
            return new AuthVector(v.rand(), v.autn(), v.xres(), keys[0], keys[1]);
        }
        return v;
    }
}
