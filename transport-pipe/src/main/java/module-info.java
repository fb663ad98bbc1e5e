/**
 * The anonymous-pipe transport: each child talks to its parent over its own standard input and output.
 *
 * @provides dev.multiproc.spi.Transport
 */
module dev.multiproc.transport.pipe {
    requires dev.multiproc;

    provides dev.multiproc.spi.Transport with dev.multiproc.transport.pipe.PipeTransport;
}
