package org.opentwag.dashboard.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.servlet.http.HttpServletRequest;

/**
 * Cross-site request protection for requests that change something: the {@code Origin} header (or, when a browser
 * left it out, the {@code Referer}) must name this server as the request reached it (scheme, Host and port), or one
 * of the origins configured as allowed (a reverse proxy's public name).
 *
 * <p>A request with neither header is allowed: browsers send {@code Origin} with every cross-origin request that
 * can change something (every non-GET fetch, every form POST), so only non-browser clients (curl, scripts, the
 * Karaf console's tools) send neither, and those carry their own Basic credentials on purpose: there is no victim
 * browser whose cached credentials another page could borrow. Such requests still need a valid login.
 */
public final class SameOriginCheck {

    private final Set<String> allowedOrigins;

    /** @param allowedOrigins extra origins accepted besides the server's own, e.g. {@code https://twag.example.net} */
    public SameOriginCheck(Set<String> allowedOrigins) {
        Set<String> normalised = new TreeSet<>();
        for (String o : allowedOrigins) {
            origin(o).ifPresent(normalised::add);
        }
        this.allowedOrigins = Set.copyOf(normalised);
    }

    /** Why this state-changing request must be refused, or empty when it comes from this server's own pages. */
    public Optional<String> refusal(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        String referer = req.getHeader("Referer");
        String claimed;
        String header;
        if (origin != null) {
            claimed = origin.strip();
            header = "Origin";
        } else if (referer != null) {
            claimed = referer.strip();
            header = "Referer";
        } else {
            return Optional.empty();
        }
        Optional<String> from = origin(claimed);
        if (from.isEmpty()) {
            // "Origin: null" (sandboxed frames, file: pages, some redirects) is never ours.
            return Optional.of(header + " " + printable(claimed) + " is not an origin of this server");
        }
        String own = own(req);
        if (from.get().equals(own) || allowedOrigins.contains(from.get())) {
            return Optional.empty();
        }
        return Optional.of(header + " " + from.get() + " is not this server's origin " + own);
    }

    /** This server's origin as the client addressed it: scheme, Host header's name and port. */
    static String own(HttpServletRequest req) {
        String scheme = req.getScheme() == null ? "https" : req.getScheme().toLowerCase(Locale.ROOT);
        return scheme + "://" + host(req.getServerName()) + ":" + port(scheme, req.getServerPort());
    }

    /** scheme://host:port of a URL or origin (explicit port, lower case, IPv6 without brackets), or empty. */
    static Optional<String> origin(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return Optional.empty();
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + host(u.getHost()) + ":" + port(scheme, u.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String host(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int port(String scheme, int port) {
        return port > 0 ? port : scheme.equals("http") ? 80 : 443;
    }

    /** A header value fit for a log line: bounded, no control characters. */
    static String printable(String value) {
        String v = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return v.replaceAll("\\p{Cntrl}", "?");
    }
}
