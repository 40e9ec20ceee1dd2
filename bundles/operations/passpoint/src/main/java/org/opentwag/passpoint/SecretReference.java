package org.opentwag.passpoint;

/**
 * Where the RADIUS shared secret comes from, never the secret itself: generated files carry a placeholder the
 * operator (or a deployment tool such as {@code envsubst}) fills in on the access point.
 * <ul>
 *   <li>{@code env:NAME} renders as {@code ${NAME}};</li>
 *   <li>{@code placeholder:TEXT} renders as TEXT (e.g. {@code placeholder:YOUR_SHARED_SECRET}).</li>
 * </ul>
 * Anything else looks like a secret written in clear: it is flagged ({@link #looksLiteral()}) and rendered as the
 * default placeholder, so it can never leak into a generated file.
 */
public final class SecretReference {

    public static final String DEFAULT_ENV = "OPENTWAG_RADIUS_SECRET";

    private final String placeholder;
    private final boolean literal;
    private final String configured;
    /** SHA-256 of a literal value, kept only to recognise a RADIUS client secret; the value itself is dropped. */
    private final byte[] literalDigest;

    private SecretReference(String placeholder, boolean literal, String configured, byte[] literalDigest) {
        this.placeholder = placeholder;
        this.literal = literal;
        this.configured = configured;
        this.literalDigest = literalDigest;
    }

    public static SecretReference parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return new SecretReference("${" + DEFAULT_ENV + "}", false, "env:" + DEFAULT_ENV, null);
        }
        if (t.startsWith("env:") && t.substring(4).matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return new SecretReference("${" + t.substring(4) + "}", false, t, null);
        }
        if (t.startsWith("placeholder:") && t.substring(12).matches("[A-Za-z0-9_${}<>.-]+")) {
            return new SecretReference(t.substring(12), false, t, null);
        }
        return new SecretReference("${" + DEFAULT_ENV + "}", true, null, digest(t));
    }

    /** The text generated files carry where the secret goes. */
    public String placeholder() {
        return placeholder;
    }

    /** True when the configured value is not a reference: probably the secret itself (it is never rendered). */
    public boolean looksLiteral() {
        return literal;
    }

    /** True when the configured text is a literal equal to the given secret (compared by digest, never shown). */
    public boolean isSameAs(String secret) {
        return literalDigest != null && secret != null
                && java.security.MessageDigest.isEqual(literalDigest, digest(secret.trim()));
    }

    private static byte[] digest(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    @Override
    public String toString() {
        return literal ? "(a literal value; not shown)" : configured;
    }
}
