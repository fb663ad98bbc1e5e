package dev.multiproc.tck.support;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import java.util.ArrayList;
import java.util.List;

/** Starts {@value #CHILDREN} children that each print {@value #LINES} long lines at once, then prints DONE. */
public final class ChildOutputMain {
    /** How many children print. */
    public static final int CHILDREN = 4;
    /** How many lines each prints. */
    public static final int LINES = 200;
    /** What every child line looks like. */
    public static final String LINE_PATTERN = "child [0-9] line [0-9]+ x{100}";

    private ChildOutputMain() {
    }

    static void print(int child) {
        String padding = "x".repeat(100);
        for (int n = 0; n < LINES; n++) {
            System.out.println("child " + child + " line " + n + " " + padding);
        }
    }

    /**
     * @param args the transport name
     * @throws InterruptedException if interrupted while joining
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
