package org.opentwag.api.state;

import java.io.Serializable;
import java.time.Duration;

/**
 * Key/value state shared by the server's parts: EAP conversations in flight, fast re-authentication contexts,
 * pseudonyms, and the like. The default store is in memory; a clustered one can replace it by configuration.
 *
 * <p>Values must be JDK types or types of this API (never classes of a plugin bundle), so that a plugin can be
 * updated while its state lives on, and so that a distributed store can serialise them. A read may return a copy
 * (the clustered store always does, the in-memory one for the entries it keeps as bytes): a change to a value is
 * stored by putting it again.
 */
public interface StateStore {

    /** Stores the value under (map, key), replacing any previous one; it expires after {@code ttl}. */
    void put(String map, String key, Serializable value, Duration ttl);

    /**
     * Stores the value like {@link #put} and returns the live value it replaced, or null. Used to keep one current
     * entry per owner (the newest token of a phone at an AP) and retire the one before. Stores that can do it in one
     * step override this; the default reads, then writes.
     */
    default <V extends Serializable> V swap(String map, String key, V value, Duration ttl, Class<V> type) {
        V previous = get(map, key, type);
        put(map, key, value, ttl);
        return previous;
    }

    /**
     * Gives the live entry under (map, key) a new time to live, counted from now, and leaves its value as it is;
     * returns whether there was one. Used to keep an entry a little longer or shorter (a superseded token's grace)
     * without reading its value and writing it again. Stores that can change the expiry in place override this; the
     * default reads, then writes.
     */
    default boolean expireAfter(String map, String key, Duration ttl) {
        Serializable value = get(map, key, Serializable.class);
        if (value == null) {
            return false;
        }
        put(map, key, value, ttl);
        return true;
    }

    /** The value under (map, key), or null when absent or expired. */
    <V extends Serializable> V get(String map, String key, Class<V> type);

    /** Removes and returns the value under (map, key), or null. */
    <V extends Serializable> V remove(String map, String key, Class<V> type);

    /**
     * Removes the entry under (map, key) without reading its value; returns whether a live one was there. For a
     * caller that has just read the value (and so knows it) and must still learn whether its removal was the one
     * that took it. Stores that keep values as bytes override this to skip decoding them; the default removes.
     */
    default boolean delete(String map, String key) {
        return remove(map, key, Serializable.class) != null;
    }

    /** The number of live entries in a map. */
    int size(String map);

    /**
     * A copy of the live entries of a map, for operators (shell, dashboard); not for the request path.
     * A clustered store may return only a bounded number of entries.
     */
    <V extends Serializable> java.util.Map<String, V> snapshot(String map, Class<V> type);

    /**
     * Calls {@code action} with each live entry of a map whose value is a {@code type}, one at a time, for counts and
     * scans that keep little: a copy of a large map lives long enough for the collector to copy it too. The action
     * must not write to the store. The default goes through {@link #snapshot}.
     */
    default <V extends Serializable> void forEach(String map, Class<V> type,
                                                  java.util.function.BiConsumer<String, ? super V> action) {
        snapshot(map, type).forEach(action);
    }
}
