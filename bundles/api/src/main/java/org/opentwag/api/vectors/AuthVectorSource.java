package org.opentwag.api.vectors;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where authentication vectors come from: SWx to an HSS (swx-client), a local subscriber file (local-vectors),
 * or a vendor plugin. Registered as an OSGi service with the property {@value #SOURCE_PROPERTY} naming it; the EAP
 * methods use the source named in their configuration.
 *
 * <p>Every call returns at once; the stage completes when the answer is there, or exceptionally with a
 * {@link VectorSourceException}. Implementations must never block the caller's thread.
 */
public interface AuthVectorSource {

    /** Service property naming the source, e.g. {@code swx} or {@code local}. */
    String SOURCE_PROPERTY = "opentwag.vectors.source";

    /** A fresh vector for the subscriber (MAR/MAA on SWx). */
    CompletionStage<AuthVector> fetch(VectorRequest request);

    /**
     * Resynchronisation after the UE answered Synchronization-Failure: hands RAND and AUTS to the home network so it
     * resets its sequence number, then returns a fresh vector (a MAR with SIP-Authorization = RAND || AUTS on SWx).
     */
    CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts);

    /**
     * The subscriber authenticated successfully (SAR REGISTRATION on SWx): completes with the subscriber's non-3GPP
     * user data when the home network sent some, or fails with a {@link VectorSourceException} whose reason
     * ({@code USER_UNKNOWN}, {@code NOT_AUTHORIZED}) says the home network refuses the subscriber, or
     * ({@code UNAVAILABLE}, {@code OTHER}) that it could not be asked. Optional; allowed without data by default.
     */
    default CompletionStage<Optional<Non3gppUserData>> registered(String imsi, AuthScheme scheme) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** The subscriber's session ended (SAR USER_DEREGISTRATION on SWx). Optional; done by default. */
    default CompletionStage<Void> deregistered(String imsi) {
        return CompletableFuture.completedFuture(null);
    }
}
