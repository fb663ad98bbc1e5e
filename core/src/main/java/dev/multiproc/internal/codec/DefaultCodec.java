package dev.multiproc.internal.codec;

import dev.multiproc.SerializationException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link Codec}: a compact tagged binary format for the values programs actually send (boxed
 * primitives, strings, primitive arrays, the JDK's common lists, sets and maps, serializable records, enums and
 * protobuf messages, nested in any way), and guarded Java serialization ({@link JavaSerializationCodec}) for
 * everything else: tasks, exceptions and other objects travel exactly as before.
 *
 * <p>Only the exact JDK classes listed in {@link FastFormat} take the fast path, and each decodes to the same class
 * ({@code List.of} lists to an immutable list, an {@code ArrayList} to an {@code ArrayList}, a {@code TreeMap} in
 * natural order to a {@code TreeMap}); subclasses, sorted collections with a comparator and anything unknown are
 * embedded as Java serialization, in one stream per payload. Shared references stay shared; a value with a cycle,
 * or nested deeper than {@value FastFormat#MAX_DEPTH}, is sent with Java serialization as a whole. A record takes
 * the fast path only if it is {@link java.io.Serializable} and declares no {@code writeReplace}/{@code readResolve},
 * and it is rebuilt through its canonical constructor, as Java serialization rebuilds records.
 *
 * <p>Decoding applies the same {@link ObjectInputFilter} as Java serialization (the defaults, then
 * {@value JavaSerializationCodec#FILTER_PROPERTY}, then {@code jdk.serialFilter}) to every class before any instance
 * of it is made, including classes named in the payload, which are loaded without being initialized until the
 * filter has allowed them.
 *
 * <p>With {@code -D}{@value #CODEC_PROPERTY}{@code =java}, every value is encoded with plain Java serialization.
 * Decoding accepts both formats whatever the property says, so processes configured differently still understand
 * each other. The format is described in docs/codec.md.
 *
 * <p>Thread-safe: each thread reuses its own encoder buffer.
 */
public final class DefaultCodec implements Codec {
    /** {@code java} to encode everything with plain Java serialization; {@code default} (or unset) otherwise. */
    public static final String CODEC_PROPERTY = "multiproc.codec";

    private static final ThreadLocal<FastEncoder> ENCODERS = new ThreadLocal<>();
    private static final int MAX_RESOLVED = 4096;

    /** The shared instance. Declared after the fields its constructor uses. */
    public static final DefaultCodec INSTANCE = new DefaultCodec();

    private final boolean javaOnly;
    final ObjectInputFilter filter;
    /** Bit t is set once the filter has allowed the built-in class of tag t; see {@link FastDecoder}. */
    volatile long allowedTags;
    /**
     * Classes named in payloads that the filter allowed, by name, with the context class loader they were resolved
     * for: a class's patterns are checked once, and Class.forName is not paid on every payload. Bounded.
     */
    private final ConcurrentHashMap<String, Resolved> resolved = new ConcurrentHashMap<>();

    private record Resolved(ClassLoader loader, FastFormat.TypeInfo info) {
    }

    private DefaultCodec() {
        this(javaOnly(System.getProperty(CODEC_PROPERTY, "default").trim()), JavaSerializationCodec.configuredFilter());
    }

    /**
     * For tests: a codec with the given mode and filter. The filter guards the fast format and its embedded Java
     * objects; a plain Java serialization payload is decoded by {@link JavaSerializationCodec#INSTANCE}.
     */
    DefaultCodec(boolean javaOnly, ObjectInputFilter filter) {
        this.javaOnly = javaOnly;
        this.filter = filter;
    }

    private static boolean javaOnly(String mode) {
        if (!mode.equals("java") && !mode.equals("default") && !mode.isEmpty()) {
            System.getLogger("dev.multiproc.codec").log(System.Logger.Level.WARNING, "Unknown -D" + CODEC_PROPERTY
                    + "=" + mode + " (expected default or java); using the default codec");
        }
        return mode.equals("java");
    }

    /**
     * Encodes a value: in the fast format when its root is one of the fast types, else with Java serialization.
     *
     * @param value the object, or null
     * @return its encoding; the first byte says which format it is
     * @throws SerializationException if the object (or something it refers to) cannot be encoded; the message names
     *         the path to it
     */
    @Override
    public byte[] encode(Object value) {
        if (javaOnly || (value != null && FastFormat.TYPES.get(value.getClass()).tag == FastFormat.JAVA)) {
            return JavaSerializationCodec.INSTANCE.encode(value);
        }
        FastEncoder encoder = ENCODERS.get();
        if (encoder == null) {
            encoder = new FastEncoder();
            ENCODERS.set(encoder);
        } else if (encoder.busy) {
            encoder = new FastEncoder(); // called from inside an encode (a writeObject method): do not share
        }
        encoder.busy = true;
        try {
            return encoder.encode(value);
        } catch (FastEncoder.Fallback e) {
            return JavaSerializationCodec.INSTANCE.encode(value);
        } finally {
            encoder.busy = false;
        }
    }

    FastFormat.TypeInfo resolved(String name, ClassLoader loader) {
        Resolved known = resolved.get(name);
        return known != null && known.loader == loader ? known.info : null;
    }

    void allowed(String name, ClassLoader loader, FastFormat.TypeInfo info) {
        if (resolved.size() < MAX_RESOLVED) {
            resolved.put(name, new Resolved(loader, info));
        }
    }

    /**
     * Decodes a payload made by {@link #encode(Object)} in any process, or by {@link JavaSerializationCodec}.
     *
     * @param bytes the payload
     * @return the value
     * @throws SerializationException if the payload is empty, truncated or corrupt, a class it names is missing
     *         here, or the deserialization filter refused one
     */
    @Override
    public Object decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new SerializationException("Cannot deserialize an empty payload", null);
        }
        byte format = bytes[0];
        if (format == FastFormat.FORMAT_JAVA) {
            return JavaSerializationCodec.INSTANCE.decode(bytes);
        }
        if (format != FastFormat.FORMAT_FAST && format != FastFormat.FORMAT_FAST_WITH_JAVA) {
            throw new SerializationException(String.format("Cannot deserialize a payload of %d bytes: unknown format"
                    + " byte 0x%02X. It is corrupt, or was made by another codec or a newer version of multiproc.",
                    bytes.length, format & 0xFF), null);
        }
        FastDecoder decoder = new FastDecoder(bytes, this);
        try {
            return decoder.decode();
        } catch (SerializationException e) {
            throw e;
        } catch (InvalidClassException e) {
            throw new SerializationException("Cannot deserialize: " + e.getMessage() + ". If the deserialization"
                    + " filter rejected a class you trust, allow it with -D" + JavaSerializationCodec.FILTER_PROPERTY
                    + "=<pattern>.", e);
        } catch (ClassNotFoundException e) {
            throw new SerializationException("Cannot deserialize: class " + e.getMessage()
                    + " is not on this process's class path. Parent and children share one class path; a class"
                    + " loaded by a custom class loader cannot cross a process boundary.", e);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new SerializationException("Cannot deserialize a payload of " + bytes.length + " bytes (at offset "
                    + decoder.position() + "): " + e, e);
        }
    }
}
