/**
 * multiproc's core: the public API ({@link dev.multiproc}) and the transport SPI ({@link dev.multiproc.spi}).
 * Everything else is internal and not exported; protobuf, which carries the wire protocol, is relocated into this
 * module's jar under an internal package, so it never meets the protobuf an application brings.
 *
 * @uses dev.multiproc.spi.Transport
 */
module dev.multiproc {
    // Compile time only: the shade step relocates protobuf into this module (dev.multiproc.internal.shaded.protobuf).
    requires static com.google.protobuf;
    // The relocated protobuf logs through java.util.logging, and its fast paths use sun.misc.Unsafe.
    requires java.logging;
    requires jdk.unsupported;
    // Flight Recorder events (dev.multiproc.internal.jfr); they cost nothing until a recording enables them.
    requires jdk.jfr;

    exports dev.multiproc;
    exports dev.multiproc.spi;

    uses dev.multiproc.spi.Transport;
}
