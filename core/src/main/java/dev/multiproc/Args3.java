package dev.multiproc;

import java.io.Serializable;

/**
 * The three arguments of one {@link Task3} call in {@link Pool#starmap3(Task3, Iterable)}.
 *
 * @param first the first argument
 * @param second the second argument
 * @param third the third argument
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @serial exclude
 */
// A record's serialized form is its components, documented above; "@serial exclude" keeps JDK 17's javadoc from
// asking for comments on their implicit fields, which a record cannot have (later JDKs do not ask).
@SuppressWarnings("InvalidBlockTag") // "@serial exclude" is for javadoc, as the comment above says
public record Args3<A, B, C>(A first, B second, C third) implements Serializable {
    /**
     * Makes an argument triple.
     *
     * @param first the first argument
     * @param second the second argument
     * @param third the third argument
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @return the triple
     */
    public static <A, B, C> Args3<A, B, C> of(A first, B second, C third) {
        return new Args3<>(first, second, third);
    }
}
