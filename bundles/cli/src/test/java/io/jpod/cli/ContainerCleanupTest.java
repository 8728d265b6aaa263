package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code jpod container cleanup} with no service answering: the namespace conmon names goes, and an exit
 * command of before {@code --netns} still finds its container's. The namespaces here are plain files (umount
 * of them fails, which the cleanup logs and passes).
 */
public class ContainerCleanupTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(err, true));
        return new String[] {String.valueOf(code), err.toString()};
    }

    private String[] cleanup(Path tmpDir, String... more) {
        String[] base = {"--url", "unix://" + tmpDir.resolve("no-service.sock"), "container", "cleanup", "--tmpdir",
            tmpDir.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return run(all);
    }

    @Test
    public void theNamespaceConmonNamesIsRemovedAndNoOther() throws IOException {
        Path tmpDir = tmp.getRoot().toPath();
        Path named = Files.createFile(tmpDir.resolve("elsewhere-ns"));
        Path byTheOldRule = Files.createFile(Files.createDirectories(tmpDir.resolve("netns"))
                .resolve("jpod-" + ID.substring(0, 12)));
        String[] r = cleanup(tmpDir, "--netns", named.toString(), ID);
        assertEquals(r[1], "0", r[0]);
        assertFalse(Files.exists(named));
        assertTrue("the old rule is for old exit commands only", Files.exists(byTheOldRule));
    }

    @Test
    public void anExitCommandOfBeforeNetnsFallsBackToTheOldRule() throws IOException {
        Path tmpDir = tmp.getRoot().toPath();
        Path ns = Files.createFile(Files.createDirectories(tmpDir.resolve("netns")).resolve("jpod-" + ID.substring(0,
                12)));
        String[] r = cleanup(tmpDir, ID);
        assertEquals(r[1], "0", r[0]);
        assertFalse(Files.exists(ns));
        // nothing there: nothing to do
        assertEquals("0", cleanup(tmpDir, ID)[0]);
    }

    @Test
    public void aBadIdIsRefused() {
        Path tmpDir = tmp.getRoot().toPath();
        String[] r = cleanup(tmpDir, "--netns", tmpDir.resolve("ns").toString(), "abc*");
        assertFalse(r[1], r[0].equals("0"));
        assertTrue(r[1], r[1].contains("is not a full container ID"));
    }
}
