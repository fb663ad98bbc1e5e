package dev.multiproc.spi;

import java.nio.ByteBuffer;

/**
 * Receives what arrives on a {@link MessageChannel}. Callbacks for one channel come from one thread at a time.
 */
public interface MessageHandler {

    /**
     * One whole message arrived.
     *
     * @param message the message, from position to limit; valid only during this call
     */
    void onMessage(ByteBuffer message);

    /**
     * The channel closed: the peer closed it, its process died, or the stream broke. Called exactly once, after
     * the last {@link #onMessage}.
     *
     * @param cause null for an orderly close; otherwise what broke it (a {@link dev.multiproc.ProtocolException}
     *        for a corrupt or oversized frame)
     */
    void onClose(Throwable cause);
}
