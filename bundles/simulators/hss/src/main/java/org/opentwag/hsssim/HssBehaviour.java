package org.opentwag.hsssim;

/**
 * Switches that make the simulator behave like the real HSSs of interop.md.
 *
 * @param refuseAkaPrime   answer EAP-AKA' with DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED, as Open5GS does
 * @param resyncSqnStep    after a verified AUTS the next vector's SQN is SQN_MS + this step. 32 (default) is the next
 *                         SEQ with a 5-bit IND at 0; Open5GS uses 33 (SEQ+1, IND 1)
 * @param maxVectorsPerMar cap on SIP-Number-Auth-Items honoured per MAR (Magma asks 5)
 * @param aaaHost          Origin-Host of the TWAG: where an RTR goes for a subscriber no SAR registered
 * @param answerDelayMillis hold every MAA this long: a slow or overloaded HSS, for fault tests (0 = answer at once)
 * @param duplicateRands   every vector of a multi-vector MAA reuses the first one's RAND (with its own SQN): the
 *                         faulty HSS of pyHSS issue 266, for the AAA server's batch check
 */
public record HssBehaviour(boolean refuseAkaPrime, int resyncSqnStep, int maxVectorsPerMar, String aaaHost,
                           long answerDelayMillis, boolean duplicateRands) {
    public HssBehaviour(boolean refuseAkaPrime, int resyncSqnStep, int maxVectorsPerMar, String aaaHost) {
        this(refuseAkaPrime, resyncSqnStep, maxVectorsPerMar, aaaHost, 0, false);
    }

    public HssBehaviour(boolean refuseAkaPrime, int resyncSqnStep, int maxVectorsPerMar, String aaaHost,
                        long answerDelayMillis) {
        this(refuseAkaPrime, resyncSqnStep, maxVectorsPerMar, aaaHost, answerDelayMillis, false);
    }

    public HssBehaviour {
        if (answerDelayMillis < 0) {
            throw new IllegalArgumentException("answerDelayMillis must not be negative");
        }
        if (resyncSqnStep < 1) {
            throw new IllegalArgumentException("resyncSqnStep must be at least 1, not " + resyncSqnStep);
        }
        if (maxVectorsPerMar < 1 || maxVectorsPerMar > 32) {
            throw new IllegalArgumentException("maxVectorsPerMar must be 1 to 32, not " + maxVectorsPerMar);
        }
        if (aaaHost == null || aaaHost.isBlank()) {
            throw new IllegalArgumentException("aaaHost (the TWAG's Origin-Host) is required");
        }
    }

    public static HssBehaviour defaults(String aaaHost) {
        return new HssBehaviour(false, 32, 5, aaaHost);
    }

    public HssBehaviour withRefuseAkaPrime(boolean v) {
        return new HssBehaviour(v, resyncSqnStep, maxVectorsPerMar, aaaHost, answerDelayMillis, duplicateRands);
    }

    public HssBehaviour withResyncSqnStep(int v) {
        return new HssBehaviour(refuseAkaPrime, v, maxVectorsPerMar, aaaHost, answerDelayMillis, duplicateRands);
    }

    public HssBehaviour withMaxVectorsPerMar(int v) {
        return new HssBehaviour(refuseAkaPrime, resyncSqnStep, v, aaaHost, answerDelayMillis, duplicateRands);
    }

    public HssBehaviour withAnswerDelayMillis(long v) {
        return new HssBehaviour(refuseAkaPrime, resyncSqnStep, maxVectorsPerMar, aaaHost, v, duplicateRands);
    }

    public HssBehaviour withDuplicateRands(boolean v) {
        return new HssBehaviour(refuseAkaPrime, resyncSqnStep, maxVectorsPerMar, aaaHost, answerDelayMillis, v);
    }
}
