package dev.multiproc.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomBytesTest {
    @Test
    void everyCallGivesFreshBytesOfTheLengthAsked() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] bytes = RandomBytes.next(16);
            assertEquals(16, bytes.length);
            assertFalse(Arrays.equals(bytes, new byte[16]));
            seen.add(Arrays.toString(bytes));
        }
        assertEquals(100, seen.size(), "no repeats among 100 draws of 128 bits");
        assertEquals(0, RandomBytes.next(0).length);
    }
}
