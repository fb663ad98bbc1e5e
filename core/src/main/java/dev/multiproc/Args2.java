package dev.multiproc;

import java.io.Serializable;

/**
 * The two arguments of one {@link Task2} call in {@link Pool#starmap(Task2, Iterable)}: Python's {@code (a, b)}
 * tuple.
 *
 * @param first the first argument
 * @param second the second argument
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @serial exclude
 */
// A record's serialized form is its components, documented above; "@serial exclude" keeps JDK 17's javadoc from
// asking for comments on their implicit fields, which a record cannot have (later JDKs do not ask).
@SuppressWarnings("InvalidBlockTag") // "@serial exclude" is for javadoc, as the comment above says
public record Args2<A, B>(A first, B second) implements Serializable {
    /**
     * Makes an argument pair.
     *
     * @param first the first argument
     * @param second the second argument
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @return the pair
     */
    public static <A, B> Args2<A, B> of(A first, B second) {
        return new Args2<>(first, second);
    }
}
