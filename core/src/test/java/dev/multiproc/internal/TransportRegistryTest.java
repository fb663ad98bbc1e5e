package dev.multiproc.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Multiproc;
import dev.multiproc.MultiprocException;
import org.junit.jupiter.api.Test;

/** Core's own class path has no transport: the errors must say what to add. */
class TransportRegistryTest {
    @Test
    void noTransportOnTheClassPathSaysWhichModuleToAdd() {
        MultiprocException error = assertThrows(MultiprocException.class, Multiproc::context);
        assertTrue(error.getMessage().contains("multiproc-transport-pipe"), error.getMessage());
    }

    @Test
    void blankTransportNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Multiproc.context(" "));
    }
}
