package org.opentwag.diameter.stack.internal;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Whether a peer's certificate names its DiameterIdentity: one of the certificate's DNS subjectAltNames equals it
 * (case-insensitive, a trailing dot ignored). Neither the subject's CN nor wildcards count: a DiameterIdentity names
 * one node, and RFC 6125 (6.4.4) lets a client fall back to the CN only when there is no DNS name at all, a
 * fallback that CAs stopped relying on years ago; an operator's CA can always put the identity in the SAN.
 */
final class CertificateNames {
    /** GeneralName tag of a dNSName (RFC 5280 4.2.1.6). */
    private static final int DNS_NAME = 2;

    private CertificateNames() {
    }

    /** The peer's end-entity certificate of an established TLS session. */
    static X509Certificate peerCertificate(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
            throw new SSLPeerUnverifiedException("the peer presented no X.509 certificate");
        }
        return x509;
    }

    /** The certificate's DNS subjectAltNames, in the certificate's order; empty when it has none. */
    static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names; // an unreadable extension names nobody
        }
        if (sans == null) {
            return names;
        }
        for (List<?> san : sans) {
            if (san.size() >= 2 && san.get(0) instanceof Integer tag && tag == DNS_NAME && san.get(1) instanceof String name) {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether one of {@code dnsNames} is {@code diameterIdentity}. */
    static boolean names(List<String> dnsNames, String diameterIdentity) {
        String wanted = normalise(diameterIdentity);
        for (String name : dnsNames) {
            if (normalise(name).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
