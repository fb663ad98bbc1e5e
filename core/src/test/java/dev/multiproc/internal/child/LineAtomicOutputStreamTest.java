package dev.multiproc.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAtomicOutputStreamTest {
    private final List<String> writes = new ArrayList<>();
    private final LineAtomicOutputStream stream = new LineAtomicOutputStream(
            (bytes, length) -> writes.add(new String(bytes, 0, length, StandardCharsets.UTF_8)));

    @Test
    void passesOnOnlyCompleteLinesEachInOneWrite() throws IOException {
        PrintStream print = new PrintStream(stream, true, StandardCharsets.UTF_8);
        print.print("hel");
        print.print("lo ");
        print.flush();
        print.println("world");
        print.print("tail");
        print.flush();
        assertEquals(List.of("hello world\n"), writes);
        stream.flushPartial();
        assertEquals(List.of("hello world\n", "tail"), writes);
    }

    @Test
    void aLongLineIsNeverSplitBelowTheLimit() throws IOException {
        String line = "x".repeat(5000) + "\n";
        PrintStream print = new PrintStream(stream, true, StandardCharsets.UTF_8);
        print.print(line); // PrintStream hands it over in pieces smaller than the line
        assertEquals(List.of(line), writes);
    }
}
