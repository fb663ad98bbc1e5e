/**
 * The shared-memory transport: message rings and native locks in memory-mapped files under {@code /dev/shm}.
 *
 * @provides dev.multiproc.spi.Transport
 */
module dev.multiproc.transport.shm {
    requires dev.multiproc;

    provides dev.multiproc.spi.Transport with dev.multiproc.transport.shm.ShmTransport;
}
