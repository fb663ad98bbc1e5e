package dev.multiproc.internal.child;

import com.google.protobuf.ByteString;
import dev.multiproc.Args2;
import dev.multiproc.Args3;
import dev.multiproc.CallableTask;
import dev.multiproc.Job;
import dev.multiproc.Task2;
import dev.multiproc.Task3;
import dev.multiproc.Task;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.RemoteErrors;
import dev.multiproc.internal.TransportRegistry;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.codec.DefaultCodec;
import dev.multiproc.internal.jfr.EventGate;
import dev.multiproc.internal.jfr.TaskRunEvent;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Hello;
import dev.multiproc.internal.protocol.JobDone;
import dev.multiproc.internal.protocol.Output;
import dev.multiproc.internal.protocol.Ready;
import dev.multiproc.internal.protocol.RunTask;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.internal.protocol.TaskResult;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.Transport;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The main class of every child process. Command line: {@code transportClass contextId childId maxMessageSize
 * secretLength descriptor}.
 *
 * <p>Order of business: make {@code System.out}/{@code System.err} line-atomic (and keep {@code System.out} off fd 1
 * when the transport uses it), arm the stdin lifeline, connect, say Hello, then obey the parent: run a process
 * target once, or serve as a pool worker until told to shut down.
 *
 * <p>Exit statuses: 0 done, 1 the process target threw, 2 bad command line or refused by the parent, 3 the parent
 * is gone or the channel broke.
 */
public final class ChildMain {
    /** Functions cached per worker; the parent mirrors this cache to know when to resend a function. */
    public static final int FUNCTION_CACHE_SIZE = 64;
    /** How long a finished child waits for the parent to release it before it exits on its own. */
    private static final long RELEASE_WAIT_MILLIS = 2000;

    /** The transport's threads: a process's target does not wait for them (see {@link Transport#connect}). */
    private static final ThreadGroup TRANSPORT_THREADS = new ThreadGroup("multiproc-transport");

    static volatile LineAtomicOutputStream out;
    static volatile LineAtomicOutputStream err;

    private ChildMain() {
    }

    /**
     * @param args {@code transportClass contextId childId maxMessageSize secretLength descriptor}
     */
    public static void main(String[] args) {
        FileOutputStream rawOut = new FileOutputStream(FileDescriptor.out);
        FileOutputStream rawErr = new FileOutputStream(FileDescriptor.err);
        InputStream rawIn = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
        err = new LineAtomicOutputStream((bytes, length) -> rawErr.write(bytes, 0, length));
        System.setErr(new PrintStream(err, true));
        if (args.length != 6) {
            System.err.println("multiproc child: expected 6 arguments (transportClass contextId childId maxMessageSize"
                    + " secretLength descriptor); this class is started by multiproc, not by hand");
            System.exit(2);
        }
        String contextId = args[1];
        String childId = args[2];
        Transport transport = TransportRegistry.forChild(args[0]);
        ChildRuntime[] runtime = new ChildRuntime[1];
        if (transport.usesStandardStreams()) {
            out = new LineAtomicOutputStream((bytes, length) -> runtime[0].send(Envelope.newBuilder()
                    .setOutput(Output.newBuilder().setStream(Output.Stream.STDOUT)
                            .setData(ByteString.copyFrom(bytes, 0, length))).build()));
        } else {
            out = new LineAtomicOutputStream((bytes, length) -> rawOut.write(bytes, 0, length));
        }
        System.setOut(new PrintStream(out, true));
        try {
            byte[] secret = rawIn.readNBytes(Integer.parseInt(args[4]));
            if (secret.length != Integer.parseInt(args[4])) {
                throw new IOException("the parent's secret did not arrive on stdin (it went away first)");
            }
            MessageChannel channel = connectInTransportGroup(transport, new ChildEndpoint(args[5], childId,
                    Integer.parseInt(args[3]), secret, rawIn, rawOut));
            runtime[0] = new ChildRuntime(contextId, channel, false);
            ChildRuntime.install(runtime[0]);
            if (!transport.usesStandardStreams()) {
                // Only now: the secret was read from stdin above, and the lifeline must not eat it.
                armLifeline(rawIn);
            }
            channel.start(runtime[0]);
            runtime[0].send(Envelope.newBuilder().setHello(Hello.newBuilder()
                    .setProtocolVersion(Protocol.VERSION).setPid(ProcessHandle.current().pid()).setChildId(childId)
                    .setJavaVersion(Runtime.version().toString())).build());
        } catch (IOException | RuntimeException e) {
            System.err.println("multiproc child " + childId + ": cannot connect to the parent over transport '"
                    + transport.name() + "': " + e);
            exit(ChildRuntime.EXIT_PARENT_GONE);
        }
        try {
            serve(runtime[0]);
        } catch (InterruptedException e) {
            exit(ChildRuntime.EXIT_PARENT_GONE);
        }
    }

    /**
     * Calls {@link Transport#connect} on a thread of {@link #TRANSPORT_THREADS}, so that every thread the transport's
     * library makes then, or later from those threads (a cluster client's I/O, its pools started on demand), belongs
     * to that group: a process's target is not kept waiting for them at its end.
     */
    private static MessageChannel connectInTransportGroup(Transport transport, ChildEndpoint endpoint)
            throws IOException {
        MessageChannel[] channel = new MessageChannel[1];
        Throwable[] failure = new Throwable[1];
        Thread connector = new Thread(TRANSPORT_THREADS, () -> {
            try {
                channel[0] = transport.connect(endpoint);
            } catch (IOException | RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "multiproc-connect");
        connector.start();
        try {
            connector.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to the parent", e);
        }
        if (failure[0] instanceof IOException io) {
            throw io;
        }
        if (failure[0] instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure[0] instanceof Error error) {
            throw error;
        }
        return channel[0];
    }

    /** Exits at once when stdin reaches end of file: the parent is gone, whatever killed it. */
    private static void armLifeline(InputStream stdin) {
        Thread lifeline = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // the parent writes nothing here; anything it does write is ignored
                }
            } catch (IOException e) {
                // a broken stdin means the same as end of file
            }
            ChildRuntime runtime = ChildRuntime.current();
            if (runtime != null) {
                runtime.released();
            }
            flushOutput();
            Runtime.getRuntime().halt(ChildRuntime.EXIT_PARENT_GONE);
        }, "multiproc-lifeline");
        lifeline.setDaemon(true);
        lifeline.start();
    }

    static void serve(ChildRuntime runtime) throws InterruptedException {
        Codec codec = DefaultCodec.INSTANCE;
        Envelope first = runtime.commands().take();
        if (first.getBodyCase() == Envelope.BodyCase.REFUSED) {
            System.err.println("multiproc child: the parent refused this child: " + first.getRefused().getReason());
            awaitRelease(2);
        }
        if (first.getBodyCase() != Envelope.BodyCase.START) {
            System.err.println("multiproc child: expected Start from the parent, got " + first.getBodyCase());
            exit(2);
        }
        Start start = first.getStart();
        runtime.started(start);
        if (start.getRole() == Start.Role.PROCESS) {
            runProcess(runtime, codec, start);
        } else {
            runWorker(runtime, codec, start);
        }
    }

    private static void runProcess(ChildRuntime runtime, Codec codec, Start start) throws InterruptedException {
        JobDone.Builder done = JobDone.newBuilder();
        int status = 0;
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        try {
            ((Job) codec.decode(start.getJob().toByteArray())).run();
        } catch (Throwable t) {
            System.err.println("Process " + start.getName() + " (pid " + ProcessHandle.current().pid() + ") failed:");
            t.printStackTrace();
            done.setError(RemoteErrors.toProto(t, codec));
            status = 1;
        } finally {
            awaitThreadsStartedSince(before);
        }
        runtime.finished(status);
        sendQuietly(runtime, Envelope.newBuilder().setDone(done).build());
        awaitRelease(status);
    }

    /**
     * Waits for the non-daemon threads the target started, as a JVM does before it exits and Python's Process does
     * after its target ({@code threading._shutdown}): a target may hand work to a thread and return.
     */
    private static void awaitThreadsStartedSince(Set<Thread> before) throws InterruptedException {
        while (true) {
            Thread pending = null;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                ThreadGroup group = thread.getThreadGroup();
                if (thread.isAlive() && !thread.isDaemon() && thread != Thread.currentThread()
                        && !before.contains(thread) && !thread.getName().startsWith("multiproc-")
                        && group != null && !TRANSPORT_THREADS.parentOf(group)) {
                    pending = thread;
                    break;
                }
            }
            if (pending == null) {
                return;
            }
            pending.join();
        }
    }

    private static void runWorker(ChildRuntime runtime, Codec codec, Start start) throws InterruptedException {
        Ready.Builder ready = Ready.newBuilder();
        if (!start.getJob().isEmpty()) {
            try {
                ((Job) codec.decode(start.getJob().toByteArray())).run();
            } catch (Throwable t) {
                ready.setError(RemoteErrors.toProto(t, codec));
            }
        }
        sendQuietly(runtime, Envelope.newBuilder().setReady(ready).build());
        Map<Long, Object> functions = new LinkedHashMap<>(FUNCTION_CACHE_SIZE * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
                return size() > FUNCTION_CACHE_SIZE;
            }
        };
        RunningTask running = new RunningTask(Thread.currentThread());
        runtime.runningTask(running);
        while (true) {
            Envelope command = runtime.commands().take();
            switch (command.getBodyCase()) {
                case TASK -> sendQuietly(runtime, Envelope.newBuilder().setResult(
                        execute(command.getTask(), functions, codec, runtime.maxMessageSize(), running)).build());
                case SHUTDOWN -> awaitRelease(0);
                default -> System.err.println("multiproc worker: ignoring unexpected " + command.getBodyCase());
            }
        }
    }

    private static TaskResult execute(RunTask task, Map<Long, Object> functions, Codec codec,
            int maxMessageSize, RunningTask running) {
        TaskRunEvent event = EventGate.beginTaskRun();
        TaskResult.Builder result = TaskResult.newBuilder().setTaskId(task.getTaskId());
        // A task the parent stopped before it started still decodes its function: the worker's cache of functions
        // mirrors the parent's view of what each task carried.
        boolean skipped = !running.start(task.getTaskId());
        Object function = null;
        int items = 0;
        String outcome = TaskRunEvent.OK;
        try {
            if (!task.getFunction().isEmpty()) {
                try {
                    function = codec.decode(task.getFunction().toByteArray());
                } catch (RuntimeException e) {
                    function = e; // cached as it is, so that this worker's cache stays in step with the parent's
                }
                functions.put(task.getFunctionId(), function);
            } else {
                function = functions.get(task.getFunctionId());
                if (function == null) {
                    throw new IllegalStateException("function " + task.getFunctionId() + " is not in this worker's"
                            + " cache (multiproc bug: the parent's mirror of the cache is out of step)");
                }
            }
            if (function instanceof RuntimeException undecodable) {
                throw undecodable;
            }
            if (skipped) {
                throw new CancellationException("stopped by the parent before it started");
            }
            List<?> arguments = (List<?>) codec.decode(task.getArgs().toByteArray());
            items = arguments.size();
            List<Object> results = new ArrayList<>(arguments.size());
            Throwable first = null;
            for (Object argument : arguments) {
                if (running.stopped()) {
                    // the parent stopped the chunk (its deadline passed): it has failed it already
                    first = first != null ? first : new CancellationException("stopped by the parent");
                    break;
                }
                // every item runs, as every chunk does; the chunk reports its first failure once it is through
                try {
                    Object value = apply(task.getMode(), function, argument);
                    if (first == null) {
                        results.add(value);
                    }
                } catch (Exception | AssertionError | LinkageError | StackOverflowError e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            byte[] encoded = encodeResults(results, codec);
            // too large to send back: the task fails with the reason, and the worker lives on
            Protocol.checkPayload(encoded.length, maxMessageSize, results.size() == 1 ? "The task's result"
                    : "The results of a chunk of " + results.size() + " items");
            result.setValue(ByteString.copyFrom(encoded));
        } catch (Throwable t) {
            outcome = t instanceof CancellationException ? TaskRunEvent.STOPPED : TaskRunEvent.FAILED;
            result.clearValue().setError(RemoteErrors.toProto(t, codec));
        } finally {
            if (!skipped) {
                running.finish();
            }
        }
        if (event != null) {
            taskRun(event, task, function, items, outcome);
        }
        return result.build();
    }

    /** Commits a chunk's {@link TaskRunEvent} if the recording wants it. */
    private static void taskRun(TaskRunEvent event, RunTask task, Object function, int items, String outcome) {
        event.end();
        if (event.shouldCommit()) {
            event.function = function == null || function instanceof RuntimeException ? null
                    : function.getClass().getName();
            event.taskId = task.getTaskId();
            event.items = items;
            event.outcome = outcome;
            event.commit();
        }
    }

    /**
     * Encodes a chunk's results; one that cannot be sent back is named as a result, since the usual advice for a
     * serialization failure (do not capture it) is wrong for what a task returns.
     */
    private static byte[] encodeResults(List<Object> results, Codec codec) {
        try {
            return codec.encode(results);
        } catch (dev.multiproc.SerializationException e) {
            for (Object value : results) {
                try {
                    codec.encode(value);
                } catch (dev.multiproc.SerializationException one) {
                    throw new dev.multiproc.SerializationException("The task returned a value that cannot be sent"
                            + " back to the parent: " + (value == null ? "null" : value.getClass().getName())
                            + ". It is the task's result, not something it captured: return a Serializable type"
                            + " (a record or class that implements java.io.Serializable, a String, a number, a"
                            + " List or Map of those). " + one.getMessage(), one);
                }
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Object apply(RunTask.Mode mode, Object function, Object argument) throws Exception {
        return switch (mode) {
            case APPLY -> ((Task<Object, Object>) function).apply(argument);
            case CALL -> ((CallableTask<Object>) function).call();
            case STAR -> {
                if (argument instanceof Args2<?, ?> pair) {
                    yield ((Task2<Object, Object, Object>) function).apply(pair.first(), pair.second());
                }
                Args3<?, ?, ?> triple = (Args3<?, ?, ?>) argument;
                yield ((Task3<Object, Object, Object, Object>) function).apply(triple.first(), triple.second(),
                        triple.third());
            }
            default -> throw new IllegalStateException("unknown task mode " + mode.name());
        };
    }

    private static void sendQuietly(ChildRuntime runtime, Envelope envelope) {
        try {
            runtime.send(envelope);
        } catch (IOException e) {
            runtime.onClose(e);
        }
    }

    static void flushOutput() {
        try {
            if (out != null) {
                out.flushPartial();
            }
            if (err != null) {
                err.flushPartial();
            }
        } catch (IOException e) {
            // nowhere left to report it
        }
    }

    /**
     * Finished: the parent now closes this child's channel and stdin, and the reader that sees the end exits with
     * {@code status}. Should the close not come, exit anyway after a while.
     */
    private static void awaitRelease(int status) throws InterruptedException {
        flushOutput();
        ChildRuntime.current().finished(status);
        Thread.sleep(RELEASE_WAIT_MILLIS);
        exit(status);
    }

    private static void exit(int status) {
        flushOutput();
        ChildRuntime runtime = ChildRuntime.current();
        if (runtime != null) {
            runtime.finished(status);
        }
        System.exit(status);
    }
}
