package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.EngineSystem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The service and another JVM share the shm lock manager: a container's lock excludes both. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LocksAcrossProcessesIT extends ItestSupport {

    @Test
    public void anotherProcessHoldingAContainersLockHoldsOffItsRemoval() throws Exception {
        Path conf = configure("mapdb", "shm", "none", "", Map.of());
        EngineServices engine = awaitEngine();
        Container c = engine.containers().createContainer(ContainerConfig.builder().name("contended")
                .rootfs(dir.resolve("rootfs").toString()).command(List.of("true")).build());
        Path marker = dir.resolve("marker");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), conf.toString(),
                Integer.toString(c.config().lockId()), marker.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("locked")) {
                System.err.println("other process: " + line);
            }
            assertEquals("the other process took the lock", "locked", line);
            engine.containers().removeContainer("contended", false);
            assertTrue("removal waited for the other process to release the lock", Files.exists(marker));
            assertEquals(0, other.waitFor());
        } finally {
            other.destroyForcibly();
        }
        assertTrue(engine.containers().containers(null).isEmpty());
    }
}
