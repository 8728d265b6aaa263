package io.jpod.state.mapdb.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** StateCore is kept in both state bundles (each keeps it private): the two copies must not drift apart. */
public class StateCoreCopyTest {
    @Test
    public void bothCopiesAreTheSameButForThePackage() throws Exception {
        Path here = Path.of("src/main/java/io/jpod/state/mapdb/internal/StateCore.java");
        Path there = Path.of("../state-memory/src/main/java/io/jpod/state/memory/internal/StateCore.java");
        assumeTrue("run from the state-mapdb module directory", Files.exists(here) && Files.exists(there));
        String mine = Files.readString(here);
        String theirs = Files.readString(there).replace("package io.jpod.state.memory.internal;",
                "package io.jpod.state.mapdb.internal;");
        assertEquals("bundles/state-memory and bundles/state-mapdb must carry the same StateCore.java: copy the one"
                + " you changed over the other (changing the package line)", theirs, mine);
    }
}
