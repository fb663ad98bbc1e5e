import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import java.util.List;

/** Time from Multiproc.context(name) to a first pool result, and to the context's close. */
public class FirstResult {
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        long open, first;
        try (Context ctx = Multiproc.context(a[0])) {
            open = System.nanoTime();
            try (Pool pool = ctx.pool(2)) {
                List<Integer> r = pool.map(x -> x + 1, List.of(1));
                first = System.nanoTime();
                if (r.get(0) != 2) throw new AssertionError();
            }
        }
        long end = System.nanoTime();
        System.out.printf("%s: context open %d ms, first pool result %d ms, closed %d ms%n", a[0],
                (open - t0) / 1_000_000, (first - t0) / 1_000_000, (end - t0) / 1_000_000);
    }
}
