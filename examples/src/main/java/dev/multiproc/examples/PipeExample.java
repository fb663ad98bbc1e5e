package dev.multiproc.examples;

import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;

/** Ping-pong over a duplex {@link Pipe}: the child answers each message with its length, until "bye". */
public final class PipeExample {
    private PipeExample() {
    }

    static void answer(Connection<String> connection) throws InterruptedException {
        for (String message = connection.recv(); !message.equals("bye"); message = connection.recv()) {
            connection.send(message + " has " + message.length() + " characters");
        }
        connection.close();
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        try (Context ctx = Multiproc.context()) {
            Pipe<String> pipe = ctx.pipe();
            Connection<String> child = pipe.right();
            ChildProcess process = ctx.process(() -> answer(child)).start();
            Connection<String> parent = pipe.left();
            for (String word : new String[] {"ping", "multiprocessing", "JVM"}) {
                parent.send(word);
                System.out.println(parent.recv());
            }
            parent.send("bye");
            process.join();
        }
    }
}
