package dev.multiproc.tck.support;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import java.util.ArrayList;
import java.util.List;

/**
 * A program for {@code ProcessContract}: starts {@value #CHILDREN} children that each print {@value #LINES} lines
 * {@code child <i> line <n> xxx...} ({@value #PADDING} {@code x}) at the same time, joins them, then prints
 * {@code DONE}. The contract reads its standard output and checks that no line was torn or lost.
 */
public final class ChildOutputMain {
    /** How many children print. */
    public static final int CHILDREN = 4;
    /** How many lines each child prints. */
    public static final int LINES = 200;
    /** How many {@code x} end each line. */
    public static final int PADDING = 100;

    private ChildOutputMain() {
    }

    static void print(int child) {
        String padding = "x".repeat(PADDING);
        for (int n = 0; n < LINES; n++) {
            System.out.println("child " + child + " line " + n + " " + padding);
        }
    }

    /**
     * Runs the children on the given transport.
     *
     * @param args {@code args[0]}: the transport name
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(String[] args) throws InterruptedException {
        try (Context context = Multiproc.context(args[0])) {
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                int child = i;
                children.add(context.process(() -> print(child)).start());
            }
            for (ChildProcess child : children) {
                child.join();
            }
        }
        System.out.println("DONE");
    }
}
