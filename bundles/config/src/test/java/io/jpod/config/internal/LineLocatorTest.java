package io.jpod.config.internal;

import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

public class LineLocatorTest {

    private static final String TEXT = """
            # num_locks = 1
            top = 1
            [engine]
            conmon_path = [
              "num_locks = 2",
              # [storage]
            ]
            num_locks = 3
            "quoted.key" = 4
            [engine.runtimes]   # comment
            runc = ["/r"]
            [[farms.list]]
            name = "x"
            [storage]
            options.mount_program = "/m"
            inline = {a = 1, b = {c = 2}}
            """;

    @Test
    public void findsKeysWithinTheirTables() {
        assertEquals(2, LineLocator.find(TEXT, List.of("top")));
        assertEquals(3, LineLocator.find(TEXT, List.of("engine")));
        assertEquals(4, LineLocator.find(TEXT, List.of("engine", "conmon_path")));
        assertEquals(8, LineLocator.find(TEXT, List.of("engine", "num_locks")));
        assertEquals(9, LineLocator.find(TEXT, List.of("engine", "quoted.key")));
        assertEquals(10, LineLocator.find(TEXT, List.of("engine", "runtimes")));
        assertEquals(11, LineLocator.find(TEXT, List.of("engine", "runtimes", "runc")));
        assertEquals(13, LineLocator.find(TEXT, List.of("farms", "list", "name")));
        assertEquals(15, LineLocator.find(TEXT, List.of("storage", "options", "mount_program")));
    }

    @Test
    public void fallsBackToTheNearestEnclosingKey() {
        assertEquals(16, LineLocator.find(TEXT, List.of("storage", "inline", "b", "c")));
        assertEquals(14, LineLocator.find(TEXT, List.of("storage", "nothing")));
        assertEquals(0, LineLocator.find(TEXT, List.of("network", "x")));
    }

    @Test
    public void splitsDottedKeys() {
        assertEquals(List.of("a", "b.c", "d"), LineLocator.splitDotted("a . \"b.c\".'d'"));
        assertEquals(List.of("engine", "runtimes"), LineLocator.splitDotted("engine.runtimes"));
    }

    @Test
    public void previousContentLineAndKeyOnLine() {
        String t = "[e]\nk = 1\n\n# c\n  \nx = 2\n";
        assertEquals(2, LineLocator.previousContentLine(t, 6));
        assertEquals(0, LineLocator.previousContentLine(t, 1));
        assertEquals("k", LineLocator.keyOnLine(t, 2));
        assertNull(LineLocator.keyOnLine(t, 1));
        assertNull(LineLocator.keyOnLine(t, 99));
    }
}
