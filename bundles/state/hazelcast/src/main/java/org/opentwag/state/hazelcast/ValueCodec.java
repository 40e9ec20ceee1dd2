package org.opentwag.state.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

import org.opentwag.api.state.StateStore;

/**
 * Values cross the cluster as JDK-serialised bytes, so Hazelcast never needs (or loads) a class of ours: it keeps
 * opaque byte[] and is indifferent to bundle updates.
 *
 * <p>Reading happens here, with class loaders that see the value's type (the caller's {@code type}, then the API
 * bundle's); Hazelcast's own loader sees neither. Only JDK types and types of the SPI packages are accepted: the
 * StateStore contract allows nothing else, and a member of the cluster must not be able to make another one
 * instantiate arbitrary classes (deserialisation gadgets).
 */
final class ValueCodec {

    static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=100000;maxbytes=16777216;java.**;org.opentwag.api.**;!*");

    private ValueCodec() {
    }

    static byte[] write(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            // Only a non-serialisable field can get here: a programming error of the caller, not a cluster problem.
            throw new IllegalArgumentException("value of type " + value.getClass().getName()
                    + " cannot be serialised for the cluster: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** The value, or null when the bytes do not hold an allowed value of {@code type} (logged by the caller). */
    static <V extends Serializable> V read(byte[] data, Class<V> type) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderAwareInput(new ByteArrayInputStream(data), type.getClassLoader())) {
            in.setObjectInputFilter(ALLOWED);
            Object o = in.readObject();
            return type.isInstance(o) ? type.cast(o) : null;
        }
    }

    private static final class LoaderAwareInput extends ObjectInputStream {
        private final ClassLoader typeLoader;

        LoaderAwareInput(InputStream in, ClassLoader typeLoader) throws IOException {
            super(in);
            this.typeLoader = typeLoader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName();
            // JDK types, primitives and their arrays: the default resolution (bootstrap loader) is right.
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException notJdk) {
                // fall through to the OSGi-aware loaders
            }
            for (ClassLoader loader : new ClassLoader[] {typeLoader, StateStore.class.getClassLoader()}) {
                if (loader == null) {
                    continue;
                }
                try {
                    return Class.forName(name, false, loader);
                } catch (ClassNotFoundException next) {
                    // try the next loader
                }
            }
            throw new ClassNotFoundException(name + " (neither the value's type nor the OpenTWAG API can load it)");
        }
    }
}
