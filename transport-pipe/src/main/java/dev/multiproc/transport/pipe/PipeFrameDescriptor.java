package dev.multiproc.transport.pipe;

/**
 * The pipe transport's frame header.
 *
 * <pre>
 *   0        1        2        3        4                                   8
 *   +--------+--------+--------+--------+-----------------------------------+----------------
 *   |  0x00  |  'M'   |  'P'   | version|  length of the message (int32 BE) | message ...
 *   +--------+--------+--------+--------+-----------------------------------+----------------
 * </pre>
 *
 * The leading NUL tells a frame from stray text on the same stream; the magic and version bytes tell a frame of
 * this transport from anything else that happens to start with NUL.
 */
final class PipeFrameDescriptor {
    static final int MARKER = 0x00;
    static final int MAGIC_1 = 'M';
    static final int MAGIC_2 = 'P';
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 8;

    private PipeFrameDescriptor() {
    }

    static void writeHeader(byte[] header, int length) {
        header[0] = (byte) MARKER;
        header[1] = (byte) MAGIC_1;
        header[2] = (byte) MAGIC_2;
        header[3] = (byte) VERSION;
        header[4] = (byte) (length >>> 24);
        header[5] = (byte) (length >>> 16);
        header[6] = (byte) (length >>> 8);
        header[7] = (byte) length;
    }
}
