package dev.multiproc.examples;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.ResultIterator;
import java.util.stream.Stream;

/**
 * Lazy {@code imap} over an endless input: the pool reads only as far ahead as its workers need, so taking the
 * first twenty squares of all natural numbers finishes at once (Python's imap would read the input forever).
 */
public final class ImapExample {
    private ImapExample() {
    }

    static long square(long x) {
        return x * x;
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Iterable<Long> naturals = () -> Stream.iterate(1L, x -> x + 1).iterator();
        try (Context ctx = Multiproc.context(); Pool pool = ctx.pool(2);
                ResultIterator<Long> squares = pool.imap(ImapExample::square, naturals, 4)) {
            StringBuilder line = new StringBuilder("first twenty squares:");
            for (int i = 0; i < 20; i++) {
                line.append(' ').append(squares.next());
            }
            System.out.println(line);
        }
    }
}
