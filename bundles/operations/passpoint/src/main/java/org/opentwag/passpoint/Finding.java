package org.opentwag.passpoint;

/** One thing {@link PasspointValidator} found: what, how bad, and what to do, in an operator's words. */
public record Finding(Severity severity, Code code, String message) {

    public enum Severity {
        /** Phones will not offload (or will fail authentication) as configured. */
        ERROR,
        /** Some phones or some networks will not match; fix unless intended. */
        WARNING,
        /** Worth knowing (a value was derived rather than configured). */
        INFO
    }

    public enum Code {
        /** No MCC/MNC advertised: SIM-only phones cannot match the ANQP 3GPP Cellular Network element. */
        EMPTY_PLMN_LIST,
        /** A realm names a PLMN that is not advertised, or the HSS/TWAG realm's PLMN is missing from the list. */
        REALM_PLMN_MISMATCH,
        /** An MNC written with the wrong length somewhere (57 vs 057; a realm with a 2-digit MNC). */
        MNC_PADDING,
        /** EAP-AKA' (type 50) not advertised although the TWAG serves it, or advertised but not served. */
        MISSING_EAP_AKA_PRIME,
        /** EAP-AKA (type 23) advertised/required by a profile but not served by the TWAG. */
        EAP_METHOD_NOT_SERVED,
        /** The RADIUS secret is written in clear where a reference (env:NAME, placeholder:TEXT) belongs. */
        SECRET_LITERAL,
        /** No operator domain name: Android's HomeSP FQDN and home-network detection need one. */
        NO_DOMAIN_NAME,
        /** A value was taken from elsewhere (address, ports, realms). */
        DERIVED_VALUE
    }

    @Override
    public String toString() {
        return severity + " [" + code + "] " + message;
    }
}
