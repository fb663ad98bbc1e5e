package dev.multiproc.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.SerializationException;
import dev.multiproc.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaSerializationCodecTest {
    static final class Repo {
    }

    static final class Service implements Serializable {
        private static final long serialVersionUID = 1L;
        final Repo repo = new Repo();
    }

    @Test
    void roundTripsPlainValues() {
        JavaSerializationCodec codec = JavaSerializationCodec.INSTANCE;
        List<Object> value = new ArrayList<>(List.of(1, "two", 3.0, List.of(4L)));
        assertEquals(value, codec.decode(codec.encode(value)));
    }

    @Test
    void nonSerializableCaptureIsNamedWithItsPath() {
        Service service = new Service();
        Task<Integer, Integer> task = x -> x + service.hashCode();
        SerializationException error = assertThrows(SerializationException.class,
                () -> JavaSerializationCodec.INSTANCE.encode(task));
        assertTrue(error.getMessage().contains("captured value 0 (" + Service.class.getName() + ")"),
                error.getMessage());
        assertTrue(error.getMessage().contains("field repo (" + Repo.class.getName() + ")"), error.getMessage());
    }

    @Test
    void nonSerializableElementOfAListIsNamedByIndex() {
        List<Object> list = new ArrayList<>(List.of("ok", "fine"));
        list.add(new Repo());
        SerializationException error = assertThrows(SerializationException.class,
                () -> JavaSerializationCodec.INSTANCE.encode(list));
        assertTrue(error.getMessage().contains("element 2 (" + Repo.class.getName() + ")"), error.getMessage());
    }

    @Test
    void filterRejectsKnownGadgetPackagesWithAClearMessage() {
        // javax.management.* is on the default deny list: decoding refuses it and says how to allow a class.
        SerializationException error = assertThrows(SerializationException.class,
                () -> JavaSerializationCodec.INSTANCE.decode(
                        JavaSerializationCodec.INSTANCE.encode(new javax.management.Attribute("a", 1))));
        assertTrue(error.getMessage().contains(JavaSerializationCodec.FILTER_PROPERTY), error.getMessage());
    }
}
