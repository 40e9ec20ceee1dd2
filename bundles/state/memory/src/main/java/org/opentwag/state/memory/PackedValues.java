package org.opentwag.state.memory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the state values that live long (records of the API, strings, byte arrays, boxed numbers, enums, hash maps
 * of those) into bytes and back, so that they can be kept in a {@link PackedMap} instead of as objects.
 *
 * <p>Why: a login leaves a dozen entries that live for minutes to hours. As objects they are copied by every young
 * collection they survive and every put writes a pointer into an old map; as bytes in a few large arrays they cost
 * the collector nothing. The bytes never leave this JVM, so a class is written as its index in this instance's
 * table of the classes it has seen, and read back as that same {@code Class}: no class is loaded by name, which in
 * OSGi this bundle could not do for another bundle's types.
 *
 * <p>A value of any other shape (a plain class, a list, a map that is not a {@code HashMap}) is not encodable:
 * {@link #encode} returns null and the store keeps that value as an object.
 */
final class PackedValues {

    private static final int NULL = 0;
    private static final int STRING = 1;
    private static final int BYTES = 2;
    private static final int LONG = 3;
    private static final int INT = 4;
    private static final int BOOLEAN = 5;
    private static final int ENUM = 6;
    private static final int RECORD = 7;
    private static final int HASH_MAP = 8;

    /** How a record class is taken apart and put together again. */
    private record Shape(Class<?> type, Method[] accessors, Constructor<?> constructor) {
    }

    private final Map<Class<?>, Integer> classIds = new ConcurrentHashMap<>();
    private final List<Shape> shapes = new ArrayList<>();
    private volatile Shape[] shapeById = new Shape[0];

    /** The value as bytes, or null when it has a shape this codec does not take. */
    byte[] encode(Object value) {
        Output out = new Output();
        return write(out, value) ? out.bytes() : null;
    }

    /** The value that {@link #encode} turned into these bytes, as a new object. */
    Object decode(byte[] packed) {
        return read(ByteBuffer.wrap(packed));
    }

    /** A growable big-endian buffer: plain array writes, where a DataOutputStream locks its stream per byte. */
    private static final class Output {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        ByteBuffer room(int n) {
            if (buffer.remaining() < n) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + n));
                buffer.flip();
                buffer = larger.put(buffer);
            }
            return buffer;
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    private boolean write(Output out, Object v) {
        if (v == null) {
            out.room(1).put((byte) NULL);
        } else if (v instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.room(5 + utf8.length).put((byte) STRING).putInt(utf8.length).put(utf8);
        } else if (v instanceof byte[] b) {
            out.room(5 + b.length).put((byte) BYTES).putInt(b.length).put(b);
        } else if (v instanceof Long l) {
            out.room(9).put((byte) LONG).putLong(l);
        } else if (v instanceof Integer i) {
            out.room(5).put((byte) INT).putInt(i);
        } else if (v instanceof Boolean b) {
            out.room(2).put((byte) BOOLEAN).put((byte) (b ? 1 : 0));
        } else if (v instanceof Enum<?> e) {
            out.room(9).put((byte) ENUM).putInt(classId(e.getDeclaringClass())).putInt(e.ordinal());
        } else if (v instanceof Record r) {
            Shape shape = shape(r.getClass());
            if (shape == null) {
                return false;
            }
            out.room(5).put((byte) RECORD).putInt(classId(r.getClass()));
            for (Method accessor : shape.accessors) {
                if (!write(out, component(accessor, r))) {
                    return false;
                }
            }
        } else if (v.getClass() == HashMap.class) {
            Map<?, ?> m = (Map<?, ?>) v;
            out.room(5).put((byte) HASH_MAP).putInt(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!write(out, e.getKey()) || !write(out, e.getValue())) {
                    return false;
                }
            }
        } else {
            return false;
        }
        return true;
    }

    private Object read(ByteBuffer in) {
        int tag = in.get() & 0xff;
        switch (tag) {
            case NULL:
                return null;
            case STRING: {
                int length = in.getInt();
                String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
                return s;
            }
            case BYTES: {
                byte[] b = new byte[in.getInt()];
                in.get(b);
                return b;
            }
            case LONG:
                return in.getLong();
            case INT:
                return in.getInt();
            case BOOLEAN:
                return in.get() != 0;
            case ENUM: {
                Class<?> type = shapeById[in.getInt()].type;
                return type.getEnumConstants()[in.getInt()];
            }
            case RECORD: {
                Shape shape = shapeById[in.getInt()];
                Object[] args = new Object[shape.accessors.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = read(in);
                }
                try {
                    return shape.constructor.newInstance(args);
                } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot rebuild " + shape.type.getName(), e);
                }
            }
            case HASH_MAP: {
                int n = in.getInt();
                Map<Object, Object> m = new HashMap<>(Math.max(4, n * 4 / 3 + 1));
                for (int i = 0; i < n; i++) {
                    m.put(read(in), read(in));
                }
                return m;
            }
            default:
                throw new IllegalStateException("packed state value unreadable: unknown tag " + tag);
        }
    }

    private static Object component(Method accessor, Record r) {
        try {
            return accessor.invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        }
    }

    /** The shape of a public record class with a public canonical constructor, or null for any other class. */
    private Shape shape(Class<?> type) {
        Integer id = classIds.get(type);
        if (id != null) {
            return shapeById[id];
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Method[] accessors = new Method[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = type.getConstructor(types);
            register(new Shape(type, accessors, canonical));
            return shapeById[classIds.get(type)];
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private int classId(Class<?> type) {
        Integer id = classIds.get(type);
        return id != null ? id : register(new Shape(type, new Method[0], null));
    }

    private synchronized int register(Shape shape) {
        Integer known = classIds.get(shape.type);
        if (known != null) {
            return known;
        }
        shapes.add(shape);
        shapeById = shapes.toArray(new Shape[0]);
        int id = shapes.size() - 1;
        classIds.put(shape.type, id); // after shapeById holds it: a reader that sees the id finds the shape
        return id;
    }
}
