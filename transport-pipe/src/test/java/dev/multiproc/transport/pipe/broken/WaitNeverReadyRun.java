package dev.multiproc.transport.pipe.broken;

import dev.multiproc.Connection;
import dev.multiproc.tck.ConnectionWaitContract;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ConnectionWaitContract against a wait that never reports a connection ready (it sleeps out its timeout, up to
 * a second, and returns nothing); run by {@link TckCatchesBrokenTransportsTest} only.
 */
public class WaitNeverReadyRun extends ConnectionWaitContract {
    @Override
    protected String transportName() {
        return "pipe";
    }

    @Override
    protected <C extends Connection<?>> List<C> waitFor(Collection<? extends C> connections, long timeout,
            TimeUnit unit) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.min(unit.toNanos(timeout), TimeUnit.SECONDS.toNanos(1)));
        return List.of();
    }
}
