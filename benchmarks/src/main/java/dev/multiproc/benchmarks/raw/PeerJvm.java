package dev.multiproc.benchmarks.raw;

import dev.multiproc.Multiproc;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the child JVM of a raw medium: the same java, the same class path, {@link RawMedia} in child mode. */
final class PeerJvm {
    private PeerJvm() {
    }

    /**
     * @param args the child's arguments after {@code child}
     * @return the started child; its standard error is this JVM's
     * @throws IOException if it cannot be started
     */
    static Process start(String... args) throws IOException {
        List<String> command = Multiproc.javaCommand(RawMedia.class.getName(), List.of(), "child");
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Waits up to 10 s for the child to exit, then kills it. */
    static void reap(Process child) throws InterruptedException {
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
