package org.opentwag.ocssim;

/**
 * How the simulated OCS answers.
 *
 * @param defaultGrantOctets   granted when a CCR asks with an empty Requested-Service-Unit (the server's choice)
 * @param maxGrantOctets       upper bound of one grant, 0 for none (the client's chunk is granted as asked)
 * @param defaultBalanceOctets balance of an IMSI missing from the balance file; -1 answers it DIAMETER_USER_UNKNOWN
 * @param validityTimeSeconds  Validity-Time put on every grant, 0 for none
 * @param answerDelayMillis    hold every CCA this long (a slow OCS, for Tx/failure-handling tests), 0 for none
 */
public record OcsBehaviour(long defaultGrantOctets, long maxGrantOctets, long defaultBalanceOctets,
                           long validityTimeSeconds, long answerDelayMillis) {

    public static OcsBehaviour defaults() {
        return new OcsBehaviour(10L * 1024 * 1024, 0, -1, 0, 0);
    }

    public OcsBehaviour withAnswerDelayMillis(long millis) {
        return new OcsBehaviour(defaultGrantOctets, maxGrantOctets, defaultBalanceOctets, validityTimeSeconds, millis);
    }

    public OcsBehaviour withValidityTimeSeconds(long seconds) {
        return new OcsBehaviour(defaultGrantOctets, maxGrantOctets, defaultBalanceOctets, seconds, answerDelayMillis);
    }

    public OcsBehaviour withDefaultBalanceOctets(long octets) {
        return new OcsBehaviour(defaultGrantOctets, maxGrantOctets, octets, validityTimeSeconds, answerDelayMillis);
    }
}
