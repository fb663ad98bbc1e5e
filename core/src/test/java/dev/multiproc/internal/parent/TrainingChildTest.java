package dev.multiproc.internal.parent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Context;
import dev.multiproc.Pool;
import dev.multiproc.internal.embedded.EmbeddedChild;
import dev.multiproc.internal.embedded.EmbeddedTransport;
import dev.multiproc.internal.protocol.Envelope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child that trains the class-data-sharing archive is never killed for being slow to start. */
@Timeout(120)
class TrainingChildTest {
    static int twice(int x) {
        return 2 * x;
    }

    @Test
    void aPoolClosedWhileItsTrainingWorkerStartsWaitsForItAndRetiresIt() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartingPool started = embedded.startPoolWithASecondWorkerStarting(context);
            Pool pool = started.pool();
            EmbeddedChild first = started.ready();
            EmbeddedChild trainer = started.starting();
            long pid = trainer.process().pid();
            ChildClassArchive.TRAINING.add(pid); // as Plan.spawned records a training child
            try {
                CompletableFuture<Integer> applied = CompletableFuture.supplyAsync(
                        () -> pool.apply(TrainingChildTest::twice, 21));
                first.run(first.nextTask(), null);
                assertEquals(42, applied.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));

                CompletableFuture<Void> closed = CompletableFuture.runAsync(pool::close);
                first.process().destroy(); // plays the first worker's exit after its Shutdown
                Thread.sleep(EmbeddedTransport.millis(0.5));
                assertTrue(trainer.process().isAlive(), "the training child was killed while it started");
                assertFalse(closed.isDone(), "close did not wait for the training child");

                trainer.greet(); // its JVM is up at last: it is started as a worker, then told to exit
                assertEquals(Envelope.BodyCase.START, trainer.nextMessage().getBodyCase());
                trainer.send(Envelope.newBuilder().setReady(
                        dev.multiproc.internal.protocol.Ready.getDefaultInstance()).build());
                assertEquals(Envelope.BodyCase.SHUTDOWN, trainer.nextMessage().getBodyCase());
                trainer.process().destroy();
                closed.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
            } finally {
                ChildClassArchive.TRAINING.remove(pid);
            }
        }
    }
}
