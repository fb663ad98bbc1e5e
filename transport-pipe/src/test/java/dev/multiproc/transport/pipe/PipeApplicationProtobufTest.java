package dev.multiproc.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.multiproc.tck.TckTimeouts;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.multiproc.ChildProcess;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.internal.codec.DefaultCodec;
import dev.multiproc.tck.TransportContract;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application that brings protobuf-java 3 (this module's test class path) uses core's packaged jar, whose own
 * protobuf 4 runtime is relocated: the two never meet, and the application's messages still go through the
 * default codec's fast path, as themselves, to real children and back. Core's unit tests cannot show this: they run
 * before its jar is shaded.
 */
class PipeApplicationProtobufTest extends TransportContract {
    /** The first byte of a payload in the default codec's own format, as opposed to Java serialization's 0xAC. */
    private static final byte FAST_FORMAT = (byte) 0xF1;

    @Override
    protected String transportName() {
        return "pipe";
    }

    static Timestamp later(Timestamp time) {
        return time.toBuilder().setSeconds(time.getSeconds() + 60).build();
    }

    static void putDurations(Queue<Duration> queue, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(Duration.newBuilder().setSeconds(i).setNanos(i * 1000).build());
        }
    }

    /** Fails, with the reason, when this test would not be testing the relocated jar against protobuf 3. */
    @BeforeEach
    void onTheShadedJarWithProtobuf3() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.protobuf.RuntimeVersion"),
                "the application's protobuf-java should be 3.x, which has no RuntimeVersion");
        try {
            Class.forName("dev.multiproc.internal.shaded.protobuf.RuntimeVersion");
        } catch (ClassNotFoundException e) {
            throw new AssertionError("multiproc-core is not the packaged jar with protobuf relocated (a build that"
                    + " stopped before 'package' gives this module core's target/classes): run 'verify'", e);
        }
    }

    /** What a child receives and returns is the application's own message class, sent in the fast format. */
    @Test
    void applicationProtobuf3MessagesTravelAsThemselvesThroughPoolWorkers() {
        List<Timestamp> times = IntStream.range(0, 20)
                .mapToObj(i -> Timestamp.newBuilder().setSeconds(1_700_000_000L + i).setNanos(i).build()).toList();
        assertEquals(FAST_FORMAT, DefaultCodec.INSTANCE.encode(times.get(1))[0], "a message's own encoding");
        assertEquals(FAST_FORMAT, DefaultCodec.INSTANCE.encode(times)[0], "a list of messages, nothing embedded");
        List<Timestamp> later = within(60, "pool.map of 20 Timestamps", () -> {
            try (Pool pool = context.pool(2)) {
                return pool.map(PipeApplicationProtobufTest::later, times);
            }
        });
        assertEquals(times.stream().map(PipeApplicationProtobufTest::later).toList(), later);
        assertEquals(Timestamp.class, later.get(0).getClass());
    }

    /** Messages a child puts into a queue arrive in the parent whole and in order. */
    @Test
    void applicationProtobuf3MessagesCrossAQueueFromAChild() {
        within(60, "10 Durations from a child", () -> {
            Queue<Duration> queue = context.queue();
            ChildProcess child = context.process(() -> putDurations(queue, 10)).start();
            for (int i = 0; i < 10; i++) {
                Duration duration = queue.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
                assertEquals(Duration.newBuilder().setSeconds(i).setNanos(i * 1000).build(), duration);
            }
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            return null;
        });
    }
}
