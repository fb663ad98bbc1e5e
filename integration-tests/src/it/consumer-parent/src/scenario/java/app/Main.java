package app;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.Task;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * The scenario that every consumer application of multiproc's integration tests runs, however the application was
 * launched. It is compiled into each application's own classes (see the consumer-parent POM), so that its lambdas
 * are the application's code, which every child must load the way the parent did.
 *
 * <p>Arguments: the transports to run on, separated by spaces or commas (default {@code pipe,shm}). For each, on
 * success, it prints exactly these lines (dev.multiproc.it.ScenarioLines in the integration-tests module expects
 * them):
 * <pre>
 * [pipe] transport: pipe
 * [pipe] map: sum of squares of 1..10 = 385
 * [pipe] queue: got "hello from a child" from another process
 * [pipe] counter: 3 children x 100 locked increments = 300
 * </pre>
 * A step that fails prints {@code [pipe] STEP: FAILED: why} instead, its stack trace goes to standard error, and the
 * remaining steps still run; {@link #main} then throws, so that {@code java} exits with 1 and a Maven goal fails.
 * Every step has a deadline (20 s, times {@code MULTIPROC_TEST_TIMEOUT_FACTOR}); a step that passes it prints the
 * stack of every thread and fails.
 */
public final class Main {
    static final String GREETING = "hello from a child";
    private static final int CHILDREN = 3;
    private static final int INCREMENTS = 100;
    private static final long STEP_DEADLINE_MILLIS = (long) (20_000 * timeoutFactor());

    private Main() {
    }

    /**
     * Runs the scenario on each transport named in {@code args}.
     *
     * @param args transport names, separated by spaces or commas
     * @throws IllegalStateException if a step failed on any transport
     */
    public static void main(String[] args) {
        List<String> failed = new ArrayList<>();
        for (String transport : transports(args)) {
            failed.addAll(run(transport, System.out));
        }
        System.out.flush();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the scenario failed: " + String.join(", ", failed));
        }
    }

    /**
     * @param args transport names, separated by spaces or commas; none means pipe and shm
     * @return the names
     */
    static List<String> transports(String... args) {
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            for (String name : arg.split("[,\\s]+")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names.isEmpty() ? List.of("pipe", "shm") : names;
    }

    /**
     * Runs every step on one transport, printing one line per step to {@code out}.
     *
     * @param transport the transport's name
     * @param out where the result lines go
     * @return the steps that failed, as {@code [transport] step}; empty if all passed
     */
    public static List<String> run(String transport, PrintStream out) {
        String tag = "[" + transport + "] ";
        List<String> failed = new ArrayList<>();
        Context ctx;
        try {
            ctx = within("opening a context", () -> Multiproc.context(transport));
        } catch (Exception | Error e) {
            fail(out, tag + "transport", e, failed);
            return failed;
        }
        try {
            step(out, tag + "transport", failed, ctx::transportName);
            step(out, tag + "map", failed, () -> "sum of squares of 1..10 = " + sumOfSquares(ctx));
            step(out, tag + "queue", failed, () -> childPutsIntoQueue(ctx));
            step(out, tag + "counter", failed, () -> lockedIncrements(ctx));
        } finally {
            step(out, tag + "close", failed, () -> {
                ctx.close();
                return null;
            });
        }
        return failed;
    }

    /** {@code Pool.map} of a lambda defined here, in the application. */
    private static int sumOfSquares(Context ctx) {
        Task<Integer, Integer> square = x -> x * x;
        try (Pool pool = ctx.pool(2)) {
            List<Integer> squares = pool.map(square, IntStream.rangeClosed(1, 10).boxed().toList());
            int sum = squares.stream().mapToInt(Integer::intValue).sum();
            if (sum != 385) {
                throw new IllegalStateException("the squares of 1..10 came back as " + squares);
            }
            return sum;
        }
    }

    /** A child puts an item into a queue; the parent reads it and checks that another process put it. */
    private static String childPutsIntoQueue(Context ctx) throws Exception {
        Queue<String> queue = ctx.queue();
        ChildProcess child = ctx.process(() -> queue.put(ProcessHandle.current().pid() + " " + GREETING)).start();
        String item = null;
        while (item == null) {
            item = queue.poll(100, TimeUnit.MILLISECONDS);
            if (item == null && !child.isAlive()) {
                // It may have put the item just before it exited.
                item = queue.poll(2, TimeUnit.SECONDS);
                if (item == null) {
                    throw new IllegalStateException("the child exited without putting an item: " + exit(child));
                }
            }
        }
        child.join();
        String[] pidAndText = item.split(" ", 2);
        if (pidAndText.length != 2 || !GREETING.equals(pidAndText[1])) {
            throw new IllegalStateException("the child put \"" + item + "\"");
        }
        long from = Long.parseLong(pidAndText[0]);
        if (from == ProcessHandle.current().pid() || from != child.pid()) {
            throw new IllegalStateException("the item came from process " + from + "; the parent is "
                    + ProcessHandle.current().pid() + ", the child " + child.pid());
        }
        return "got \"" + GREETING + "\" from another process";
    }

    /** 3 children each add 1 a hundred times to a shared int, under a shared lock. */
    private static String lockedIncrements(Context ctx) throws InterruptedException {
        SharedInt counter = ctx.sharedInt(0);
        SharedLock lock = ctx.lock();
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++) {
            children.add(ctx.process(() -> {
                for (int n = 0; n < INCREMENTS; n++) {
                    try (SharedLock.Guard held = lock.acquire()) {
                        counter.set(counter.get() + 1);
                    }
                }
            }).start());
        }
        List<String> exits = new ArrayList<>();
        boolean allExitedNormally = true;
        for (ChildProcess child : children) {
            child.join();
            allExitedNormally &= child.exitCode().orElse(-1) == 0;
            exits.add(exit(child));
        }
        String line = CHILDREN + " children x " + INCREMENTS + " locked increments = " + counter.get();
        if (!allExitedNormally || counter.get() != CHILDREN * INCREMENTS) {
            throw new IllegalStateException(line + "; children: " + exits);
        }
        return line;
    }

    private static String exit(ChildProcess child) {
        return "pid " + child.pid() + ", exit code "
                + (child.exitCode().isPresent() ? String.valueOf(child.exitCode().getAsInt()) : "none (alive)")
                + child.failure().map(f -> ", failure " + f).orElse(", no failure reported");
    }

    private static void step(PrintStream out, String name, List<String> failed, Callable<?> action) {
        try {
            Object result = within(name, action);
            if (result != null) {
                out.println(name + ": " + result);
            }
        } catch (Exception | Error e) {
            fail(out, name, e, failed);
        }
    }

    private static void fail(PrintStream out, String name, Throwable e, List<String> failed) {
        StringBuilder why = new StringBuilder(String.valueOf(e));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            why.append(" <- ").append(cause);
        }
        out.println(name + ": FAILED: " + why);
        out.flush();
        System.err.println("Stack trace of the failed step " + name + ":");
        e.printStackTrace();
        failed.add(name);
    }

    /** Runs {@code action} on its own thread, for at most the step deadline. */
    private static <T> T within(String what, Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Thread thread = new Thread(task, "scenario: " + what);
        thread.setDaemon(true); // a hung step must not keep the JVM alive once main has given up on it
        thread.start();
        try {
            return task.get(STEP_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        } catch (TimeoutException e) {
            System.err.println(what + ": no result after " + STEP_DEADLINE_MILLIS + " ms; every thread of the parent:");
            Thread.getAllStackTraces().forEach((t, stack) -> {
                System.err.println("\"" + t.getName() + "\" " + t.getState());
                for (StackTraceElement frame : stack) {
                    System.err.println("\tat " + frame);
                }
            });
            thread.interrupt();
            throw new TimeoutException("no result after " + STEP_DEADLINE_MILLIS + " ms (threads on standard error)");
        }
    }

    private static double timeoutFactor() {
        double factor = 1;
        for (String value : new String[] {
            System.getenv("MULTIPROC_TEST_TIMEOUT_FACTOR"), System.getProperty("multiproc.test.timeoutFactor")}) {
            try {
                factor = Math.max(factor, value == null ? 1 : Double.parseDouble(value.trim()));
            } catch (NumberFormatException ignored) {
                // a malformed factor is no factor
            }
        }
        return factor;
    }
}
