package dev.multiproc.internal;

/** Constants of the wire protocol (see {@code multiproc.proto}). */
public final class Protocol {
    /** The protocol version; a parent refuses a child that speaks another. */
    public static final int VERSION = 5;

    /** Default largest message, in bytes; override with {@code -Dmultiproc.maxMessageSize}. */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 256 << 20;

    /** The smallest maximum a context accepts: below it, the protocol's own messages might not fit. */
    static final int MIN_MAX_MESSAGE_SIZE = 64 << 10;

    /**
     * What a message carries besides a user's payload (envelope, call, ids, a task's fields): a payload up to the
     * maximum minus this fits in one message.
     */
    public static final int FRAMING_ALLOWANCE = 4 << 10;

    /** The call id of a one-way call: the hub carries it out and sends no reply. */
    public static final long ONE_WAY = 0;

    private Protocol() {
    }

    static int maxMessageSize() {
        return Integer.getInteger("multiproc.maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
    }

    /**
     * Refuses a user payload that would not fit in one message of a context whose maximum is {@code max}.
     *
     * @param size the payload's encoded size
     * @param what what it is, as the message should name it ("a queue element", "a pipe message")
     * @throws IllegalArgumentException if it does not fit; nothing was sent
     */
    public static void checkPayload(long size, int max, String what) {
        if (size > max - FRAMING_ALLOWANCE) {
            throw tooLarge(size, max, what);
        }
    }

    /** @return the exception {@link #checkPayload} throws */
    public static IllegalArgumentException tooLarge(long size, int max, String what) {
        return new IllegalArgumentException(what + " of " + size + " bytes (encoded) exceeds the maximum of "
                + (max - FRAMING_ALLOWANCE) + " bytes a message can carry (maxMessageSize " + max + " minus "
                + FRAMING_ALLOWANCE + " for framing); nothing was sent. Send it in parts, or raise the maximum"
                + " with Multiproc.contextBuilder().maxMessageSize(...) or -Dmultiproc.maxMessageSize");
    }
}
