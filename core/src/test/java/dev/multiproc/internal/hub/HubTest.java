package dev.multiproc.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubTest {
    private final Hub hub = new Hub(Long.MAX_VALUE);

    @AfterEach
    void close() {
        hub.close();
    }

    /**
     * A failure of the hub's own code is an INTERNAL_ERROR carrying its stack trace, never ILLEGAL_STATE: a caller
     * expecting IllegalMonitorStateException from an unlock must not pass on the hub's NullPointerException.
     */
    @Test
    void aStateThatThrowsAnswersInternalErrorWithItsStackTrace() throws Exception {
        long object = hub.register(new Hub.State() {
            @Override
            void handle(Hub.Request request) {
                String missing = null;
                int unused = missing.length(); // throws: the NullPointerException is the point
            }
        });
        Reply reply = hub.dispatch("a", Call.newBuilder().setCallId(1).setObjectId(object).setOp(Op.LOCK_RELEASE)
                .build()).get(1, TimeUnit.SECONDS);
        assertEquals(Reply.Status.INTERNAL_ERROR, reply.getStatus());
        assertTrue(reply.getError().startsWith("java.lang.NullPointerException"), reply.getError());
        assertTrue(reply.getError().contains("at dev.multiproc.internal.hub.HubTest"), reply.getError());
    }
}
