package dev.multiproc;

import java.io.Serializable;

/**
 * A pair of connected {@link Connection}s: Python's {@code Pipe()}. Whatever one end sends, the other receives,
 * in order. A duplex pipe sends both ways; a one-way pipe ({@code Context.pipe(false)}) sends from
 * {@link #right()} to {@link #left()} only, as Python's {@code Pipe(duplex=False)} returns {@code (reader,
 * writer)}.
 *
 * <p>Give each end to the process that uses it; either end may be passed to a child. Serializable.
 *
 * @param <T> the type of the objects sent
 */
public interface Pipe<T> extends Serializable {
    /**
     * @return the first end (the receiving end of a one-way pipe)
     */
    Connection<T> left();

    /**
     * @return the second end (the sending end of a one-way pipe)
     */
    Connection<T> right();
}
