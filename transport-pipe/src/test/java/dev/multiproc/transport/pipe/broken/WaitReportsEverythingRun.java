package dev.multiproc.transport.pipe.broken;

import dev.multiproc.Connection;
import dev.multiproc.tck.ConnectionWaitContract;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ConnectionWaitContract against a wait that reports every connection ready as soon as one is; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class WaitReportsEverythingRun extends ConnectionWaitContract {
    @Override
    protected String transportName() {
        return "pipe";
    }

    @Override
    protected <C extends Connection<?>> List<C> waitFor(Collection<? extends C> connections, long timeout,
            TimeUnit unit) throws InterruptedException {
        List<C> ready = Connection.wait(connections, timeout, unit);
        return ready.isEmpty() ? ready : List.copyOf(connections);
    }
}
