package dev.multiproc.internal;

/** Constants of the wire protocol (see {@code multiproc.proto}). */
final class Protocol {
    /** The protocol version; a parent refuses a child that speaks another. */
    static final int VERSION = 3;

    /** Default largest message, in bytes; override with {@code -Dmultiproc.maxMessageSize}. */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 256 << 20;

    /** The call id of a one-way call: the hub carries it out and sends no reply. */
    static final long ONE_WAY = 0;

    private Protocol() {
    }

    static int maxMessageSize() {
        return Integer.getInteger("multiproc.maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
    }
}
