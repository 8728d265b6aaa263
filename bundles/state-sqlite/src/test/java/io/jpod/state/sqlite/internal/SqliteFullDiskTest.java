package io.jpod.state.sqlite.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.ctr;
import static io.jpod.state.memory.internal.AbstractStateContractTest.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.state.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A static_dir on a small tmpfs that fills: a change that does not fit is refused whole, and neither the database
 * nor what the state answers afterwards shows any part of it.
 */
public class SqliteFullDiskTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path mounted;

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(String.join(" ", cmd) + " did not finish", p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @After
    public void unmount() throws Exception {
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }

    private static Container big(String prefix, String name, int kib) {
        Container c = ctr(prefix, name);
        c = c.withState(c.state().withStatus(io.jpod.api.ContainerStatus.RUNNING).withProcess(4000, 3999));
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < kib; i++) {
            labels.put("l" + i, Long.toHexString(Double.doubleToLongBits(Math.random())).repeat(64));
        }
        return c.withConfig(c.config().toBuilder().labels(labels).build());
    }

    @Test
    public void changeThatDoesNotFitIsRefusedWhole() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        assumeTrue("mounting a tmpfs needs root", run("mount", "-t", "tmpfs", "-o", "size=600k,mode=0700", "tmpfs",
                dir.toString()) == 0);
        mounted = dir;
        // room to give back once the disk is full, so that a later change fits
        Path ballast = Files.write(dir.resolve("ballast"), new byte[128 * 1024]);
        List<Container> stored = new ArrayList<>();
        JpodException full = null;
        Container refused = null;
        try (State s = new SqliteStateProvider(Duration.ofSeconds(2)).open(SqliteStateTest.context(dir))) {
            Container small = ctr("aa", "small");
            s.addContainer(small);
            stored.add(small);
            for (int i = 0; i < 200 && full == null; i++) {
                Container c = big(String.format("b%07x", i), "big-" + i, 16);
                try {
                    s.addContainer(c);
                    stored.add(c);
                } catch (JpodException e) {
                    full = e;
                    refused = c;
                }
            }
            assertNotNull("the tmpfs should have filled", full);
            assertEquals(ErrorCode.INTERNAL, full.code());
            assertTrue(full.getMessage(), full.getMessage().contains("full"));
            assertTrue(full.getMessage(), full.getMessage().contains(dir.resolve(StateFiles.DB_FILE).toString()));
            assertTrue(full.getMessage(), full.getMessage().contains("free space on the file system of " + dir));
            assertFalse("a refused add leaves no container", s.hasContainer(refused.id()));
            String refusedName = refused.name();
            String refusedId = refused.id();
            expect(ErrorCode.NO_SUCH_CTR, () -> s.lookupContainer(refusedName));
            expect(ErrorCode.NO_SUCH_CTR, () -> s.container(refusedId));
            Files.delete(ballast);
            s.removeContainer(stored.get(stored.size() - 1).id()); // a change that fits commits, and with it nothing else
            stored.remove(stored.size() - 1);
            expect(ErrorCode.NO_SUCH_CTR, () -> s.container(refusedId));
            // a save that does not fit leaves the stored version
            Container grown = big("aa", "small", 400);
            expect(ErrorCode.INTERNAL, () -> s.saveContainer(grown));
            assertEquals(small, s.container(small.id()));
            assertEquals(small, s.lookupContainer("small"));
            assertEquals(stored.size(), s.allContainers().size());
            stored = s.allContainers();
        }
        // what the database holds is what the state answered
        Path copy = tmp.newFolder("copy").toPath();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (State s = new SqliteStateProvider(Duration.ofSeconds(2)).open(SqliteStateTest.context(copy))) {
            assertEquals(stored, s.allContainers());
            assertFalse(s.hasContainer(refused.id()));
        }
    }
}
