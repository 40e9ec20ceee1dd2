package org.opentwag.charging.gy;

import java.time.Duration;

/**
 * Gy client settings (PID {@code org.opentwag.charging.gy}).
 *
 * @param destinationRealm       Destination-Realm of CCRs (the OCS's, or the DRA's route)
 * @param destinationHost        Destination-Host, null or blank to route by realm
 * @param serviceContextId       Service-Context-Id (TS 32.299 7.1.12)
 * @param chunkOctets            CC-Total-Octets asked in each Requested-Service-Unit
 * @param ratingGroup            Rating-Group of the MSCC, -1 for none
 * @param serviceIdentifier      Service-Identifier of the MSCC, -1 for none
 * @param updateThresholdPercent CCR-U once this share of the grant is used (unless the OCS sent Volume-Quota-Threshold)
 * @param txTimeout              Tx (RFC 4006 13): how long to wait for a CCA before failure handling
 * @param failureHandling        Credit-Control-Failure-Handling unless the OCS sets one
 */
public record GySettings(String destinationRealm, String destinationHost, String serviceContextId, long chunkOctets,
                         long ratingGroup, long serviceIdentifier, int updateThresholdPercent, Duration txTimeout,
                         FailureHandling failureHandling) {

    public GySettings {
        if (destinationRealm == null || destinationRealm.isBlank()) {
            throw new IllegalArgumentException("Gy destinationRealm is empty");
        }
        if (chunkOctets <= 0) {
            throw new IllegalArgumentException("Gy chunkOctets must be positive, got " + chunkOctets);
        }
        if (updateThresholdPercent < 1 || updateThresholdPercent > 100) {
            throw new IllegalArgumentException("Gy updateThresholdPercent must be 1..100, got " + updateThresholdPercent);
        }
        destinationHost = destinationHost == null || destinationHost.isBlank() ? null : destinationHost.trim();
    }

    /** 10 MB chunks, 80 %, rating group 1, Tx 1 s, TERMINATE. */
    public static GySettings defaults(String destinationRealm) {
        return new GySettings(destinationRealm, null, "32251@3gpp.org", 10L * 1024 * 1024, 1, -1, 80,
                Duration.ofSeconds(1), FailureHandling.TERMINATE);
    }

    public GySettings withFailureHandling(FailureHandling f) {
        return new GySettings(destinationRealm, destinationHost, serviceContextId, chunkOctets, ratingGroup,
                serviceIdentifier, updateThresholdPercent, txTimeout, f);
    }

    public GySettings withTxTimeout(Duration tx) {
        return new GySettings(destinationRealm, destinationHost, serviceContextId, chunkOctets, ratingGroup,
                serviceIdentifier, updateThresholdPercent, tx, failureHandling);
    }

    public GySettings withChunkOctets(long chunk) {
        return new GySettings(destinationRealm, destinationHost, serviceContextId, chunk, ratingGroup,
                serviceIdentifier, updateThresholdPercent, txTimeout, failureHandling);
    }
}
