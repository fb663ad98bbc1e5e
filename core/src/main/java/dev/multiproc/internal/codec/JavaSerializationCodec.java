package dev.multiproc.internal.codec;

import dev.multiproc.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * The default {@link Codec}: Java serialization, with every decode guarded by an {@link ObjectInputFilter}.
 *
 * <p>The filter bounds the graph (depth, references, bytes) and rejects the classes of the well-known
 * deserialization gadget chains. Users add their own rules, in the JDK's pattern syntax, with the system property
 * {@value #FILTER_PROPERTY} (checked before the defaults, so {@code com.example.**} allows and {@code !com.bad.*}
 * rejects); a JVM-wide {@code jdk.serialFilter} is honoured as well.
 */
public final class JavaSerializationCodec implements Codec {
    /** Extra filter rules, JDK pattern syntax. */
    public static final String FILTER_PROPERTY = "multiproc.serialFilter";

    static final String DEFAULT_FILTER = "maxdepth=1000;maxrefs=50000000;"
            + "!org.apache.commons.collections.functors.*;!org.apache.commons.collections4.functors.*;"
            + "!org.codehaus.groovy.runtime.*;!com.sun.org.apache.xalan.internal.xsltc.trax.*;"
            + "!org.springframework.beans.factory.*;!com.sun.rowset.*;!sun.rmi.*;!java.rmi.*;!javax.management.*;"
            + "!com.sun.jndi.*;!org.apache.xalan.xsltc.trax.*;!bsh.*;!clojure.*;!org.python.core.*";

    /** The shared instance. */
    public static final JavaSerializationCodec INSTANCE = new JavaSerializationCodec();

    private final ObjectInputFilter filter;

    private JavaSerializationCodec() {
        this.filter = configuredFilter();
    }

    /**
     * @return the filter every decode applies: the user's rules ({@value #FILTER_PROPERTY}), then the defaults, merged
     *         with a JVM-wide {@code jdk.serialFilter} if there is one
     */
    static ObjectInputFilter configuredFilter() {
        String extra = System.getProperty(FILTER_PROPERTY, "").trim();
        ObjectInputFilter own = ObjectInputFilter.Config.createFilter(
                extra.isEmpty() ? DEFAULT_FILTER : extra + ";" + DEFAULT_FILTER);
        ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
        return global == null ? own : ObjectInputFilter.merge(own, global);
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new SerializationException(SerializationDiagnostics.explain(value, e), e);
        } catch (IOException e) {
            throw new SerializationException("Cannot serialize " + describe(value) + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        try (ObjectInputStream in = new FilteredInput(new ByteArrayInputStream(bytes), filter)) {
            return in.readObject();
        } catch (InvalidClassException e) {
            throw new SerializationException("Cannot deserialize: " + e.getMessage() + ". If the deserialization"
                    + " filter rejected a class you trust, allow it with -D" + FILTER_PROPERTY + "=<pattern>.", e);
        } catch (ClassNotFoundException e) {
            throw new SerializationException("Cannot deserialize: class " + e.getMessage()
                    + " is not on this process's class path. Parent and children share one class path; a class"
                    + " loaded by a custom class loader cannot cross a process boundary.", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot deserialize a payload of " + bytes.length + " bytes: " + e, e);
        }
    }

    static String describe(Object value) {
        return value == null ? "null" : "an object of " + value.getClass().getName();
    }

    /** Resolves classes through the thread's context class loader first, then as Java serialization does. */
    static final class FilteredInput extends ObjectInputStream {
        FilteredInput(ByteArrayInputStream in, ObjectInputFilter filter) throws IOException {
            super(in);
            setObjectInputFilter(filter);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException e) {
                    // fall through to the default resolution (primitives, the caller's loader)
                }
            }
            return super.resolveClass(desc);
        }
    }
}
