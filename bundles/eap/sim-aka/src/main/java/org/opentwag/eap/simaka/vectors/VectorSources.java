package org.opentwag.eap.simaka.vectors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.api.vectors.AuthVectorSource;

/**
 * The vector sources a SIM/AKA method's component has been given, and the one its configuration names
 * ({@link AuthVectorSource#SOURCE_PROPERTY}, e.g. "swx" for the HSS, "local" for the subscriber file). Sources come
 * and go at run time; a method asks {@link #current()} at each full authentication.
 *
 * <p>Once {@link #retire() retired} (its component deactivated by a bundle:update), it keeps the sources it has:
 * conversations that instance already took on finish with them, instead of waiting for a source a retired instance
 * is never given again. The engine sends every later step to the new instance.
 */
public final class VectorSources {
    private final Map<AuthVectorSource, Map<String, Object>> sources = new ConcurrentHashMap<>();
    private volatile String wanted = "swx";
    private volatile boolean retired;

    /** A source appeared, with its service properties. */
    public void add(AuthVectorSource source, Map<String, Object> properties) {
        sources.put(source, properties);
    }

    /** A source went away. */
    public void remove(AuthVectorSource source) {
        if (!retired) {
            sources.remove(source);
        }
    }

    /** The source name the configuration asks for. */
    public void want(String name) {
        wanted = name;
    }

    /** Keeps every source from now on (see the class comment). */
    public void retire() {
        retired = true;
    }

    /** The wanted source, or null while it is absent. */
    public AuthVectorSource current() {
        String name = wanted;
        for (Map.Entry<AuthVectorSource, Map<String, Object>> e : sources.entrySet()) {
            if (name.equals(String.valueOf(e.getValue().get(AuthVectorSource.SOURCE_PROPERTY)))) {
                return e.getKey();
            }
        }
        return null;
    }
}
