package org.opentwag.support.state;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

import org.opentwag.api.state.StateStore;

/**
 * A {@link StateStore} that hands every call to another one: for the OSGi components that publish a store whose
 * implementation they create on activation (the in-memory and the clustered stores).
 */
public abstract class ForwardingStateStore implements StateStore {

    /** The store calls go to now. */
    protected abstract StateStore delegate();

    @Override
    public void put(String map, String key, Serializable value, Duration ttl) {
        delegate().put(map, key, value, ttl);
    }

    @Override
    public <V extends Serializable> V swap(String map, String key, V value, Duration ttl, Class<V> type) {
        return delegate().swap(map, key, value, ttl, type);
    }

    @Override
    public boolean expireAfter(String map, String key, Duration ttl) {
        return delegate().expireAfter(map, key, ttl);
    }

    @Override
    public <V extends Serializable> V get(String map, String key, Class<V> type) {
        return delegate().get(map, key, type);
    }

    @Override
    public <V extends Serializable> V remove(String map, String key, Class<V> type) {
        return delegate().remove(map, key, type);
    }

    @Override
    public boolean delete(String map, String key) {
        return delegate().delete(map, key);
    }

    @Override
    public int size(String map) {
        return delegate().size(map);
    }

    @Override
    public <V extends Serializable> Map<String, V> snapshot(String map, Class<V> type) {
        return delegate().snapshot(map, type);
    }

    @Override
    public <V extends Serializable> void forEach(String map, Class<V> type,
                                                 java.util.function.BiConsumer<String, ? super V> action) {
        delegate().forEach(map, type, action);
    }
}
