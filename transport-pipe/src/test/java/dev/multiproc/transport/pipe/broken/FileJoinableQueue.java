package dev.multiproc.transport.pipe.broken;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.spi.NativeJoinableQueue;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A joinable queue in a directory, shared by every process, with one of two faults in its task count; for testing the
 * tck only. An element is a file, renamed into place (so it appears whole) under a name that sorts by the time it was
 * put; a taker claims the oldest by renaming it, which only one process can. The count of unfinished elements is a
 * long in a mapped file, or in each process's memory.
 */
final class FileJoinableQueue implements NativeJoinableQueue {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final AtomicLong NAMES = new AtomicLong();

    /** What is wrong with the count. */
    enum Fault {
        /** Each process counts its own puts and taskDones: a child's taskDone is refused, a third's join passes. */
        COUNT_PER_PROCESS,
        /** The put counts its element a few milliseconds after a consumer can take it. */
        COUNT_AFTER_PUT
    }

    private final String directory;
    private final Fault fault;
    private transient AtomicLong ownCount;
    private transient MappedByteBuffer sharedCount;

    FileJoinableQueue(Path directory, Fault fault) {
        this.directory = directory.toString();
        this.fault = fault;
    }

    private Path dir() {
        return Paths.get(directory);
    }

    private synchronized AtomicLong ownCount() {
        if (ownCount == null) {
            ownCount = new AtomicLong();
        }
        return ownCount;
    }

    private synchronized MappedByteBuffer sharedCount() {
        if (sharedCount == null) {
            try (FileChannel file = FileChannel.open(dir().resolve("count"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                sharedCount = file.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sharedCount;
    }

    private long count() {
        return fault == Fault.COUNT_PER_PROCESS ? ownCount().get() : (long) LONGS.getVolatile(sharedCount(), 0);
    }

    private boolean compareAndSet(long expected, long value) {
        return fault == Fault.COUNT_PER_PROCESS ? ownCount().compareAndSet(expected, value)
                : LONGS.compareAndSet(sharedCount(), 0, expected, value);
    }

    private void increment() {
        long now;
        do {
            now = count();
        } while (!compareAndSet(now, now + 1));
    }

    @Override
    public boolean offer(byte[] element, long timeout, TimeUnit unit) throws InterruptedException {
        if (Files.exists(dir().resolve("closed"))) {
            throw new ChannelClosedException(this + " is closed");
        }
        if (fault == Fault.COUNT_PER_PROCESS) {
            increment();
        }
        try {
            long name = NAMES.incrementAndGet();
            Path written = dir().resolve("tmp-" + ProcessHandle.current().pid() + "-" + name);
            Files.write(written, element);
            Files.move(written, dir().resolve(String.format("e-%020d-%d-%d", System.nanoTime(),
                    ProcessHandle.current().pid(), name)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (fault == Fault.COUNT_AFTER_PUT) {
            TimeUnit.MILLISECONDS.sleep(5);
            increment();
        }
        return true;
    }

    @Override
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        while (true) {
            for (Path element : elements()) {
                Path claimed = dir().resolve("taken-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet());
                try {
                    Files.move(element, claimed, StandardCopyOption.ATOMIC_MOVE);
                    byte[] bytes = Files.readAllBytes(claimed);
                    Files.delete(claimed);
                    return bytes;
                } catch (NoSuchFileException takenByAnother) {
                    // the next one, then
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (Files.exists(dir().resolve("closed"))) {
                throw new ChannelClosedException(this + " is closed and empty");
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private List<Path> elements() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(path -> path.getFileName().toString().startsWith("e-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int size() {
        return elements().size();
    }

    @Override
    public void close() {
        try {
            Files.writeString(dir().resolve("closed"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean taskDone() {
        while (true) {
            long now = count();
            if (now <= 0) {
                return false;
            }
            if (compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        while (count() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    @Override
    public String toString() {
        return "file queue " + directory + " (" + fault + ")";
    }
}
