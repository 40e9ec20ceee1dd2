package org.opentwag.vectors.local.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.vectors.local.subscribers.Subscriber;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

/**
 * Vectors computed here from the subscriber file with Milenage, behaving as an HSS does: for EAP-AKA' the keys
 * returned are CK'/IK' bound to the requested access network name. For labs and private networks.
 */
public final class LocalVectorSource implements AuthVectorSource {

    private final SubscriberDatabase subscribers;
    private final long resyncExtraSteps;
    private final SecureRandom random = new SecureRandom();

    public LocalVectorSource(SubscriberDatabase subscribers, long resyncExtraSteps) {
        this.subscribers = subscribers;
        this.resyncExtraSteps = resyncExtraSteps;
    }

    @Override
    public CompletionStage<AuthVector> fetch(VectorRequest request) {
        try {
            return CompletableFuture.completedFuture(vector(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
        try {
            Subscriber s = subscriber(request.imsi());
            long sqnMs = AuthenticationCentre.verifyAuts(s.ki(), s.opc(), rand, auts);
            if (sqnMs < 0) {
                throw new VectorSourceException(VectorSourceException.Reason.RESYNC_FAILED,
                        "AUTS does not verify for IMSI " + request.imsi());
            }
            subscribers.resynchronize(s, sqnMs, resyncExtraSteps);
            return CompletableFuture.completedFuture(vector(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Subscriber subscriber(String imsi) {
        return subscribers.find(imsi).orElseThrow(() -> new VectorSourceException(
                VectorSourceException.Reason.USER_UNKNOWN, "IMSI " + imsi + " is not in the subscriber file"));
    }

    private AuthVector vector(VectorRequest request) {
        Subscriber s = subscriber(request.imsi());
        byte[] rand = new byte[16];
        random.nextBytes(rand);
        AuthVector v = AuthenticationCentre.vector(s.ki(), s.opc(), s.amf(), rand, subscribers.nextSqn(s));
        if (request.scheme() == AuthScheme.EAP_AKA_PRIME) {
            String name = request.accessNetworkName() == null ? "WLAN" : request.accessNetworkName();
            byte[][] keys = AkaPrimeKeys.deriveCkIkPrime(v.ck(), v.ik(), name, Arrays.copyOfRange(v.autn(), 0, 6));
            return new AuthVector(v.rand(), v.autn(), v.xres(), keys[0], keys[1]);
        }
        return v;
    }
}
