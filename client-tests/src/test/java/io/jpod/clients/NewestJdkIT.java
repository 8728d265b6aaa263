package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The service on the newest JDK of the host (Temurin 25 beside OpenJDK 17 on these machines), as an operator
 * runs it with JAVA_HOME: it assembles, runs a container and logs no error. Its bundles' bytecode tools (SPI
 * Fly's ASM) must read that JDK's class files.
 */
public class NewestJdkIT extends ClientTestSupport {
    private static Path jdk;

    /** Shadows ClientTestSupport's: the service runs on the newest JDK there is. */
    @BeforeClass
    public static void startService() throws Exception {
        jdk = newestJdk();
        Assume.assumeTrue("no JDK 24 or later in /usr/lib/jvm", jdk != null);
        jpod = new JpodService("", Map.of("JAVA_HOME", jdk.toString()), s -> { });
    }

    private static Path newestJdk() throws Exception {
        Path best = null;
        int bestFeature = 23;
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path j : jvms.toList()) {
                Path release = j.resolve("release");
                if (!Files.isRegularFile(release) || !Files.isExecutable(j.resolve("bin/java"))) {
                    continue;
                }
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=\"")) {
                        int feature = Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                        if (feature > bestFeature) {
                            best = j;
                            bestFeature = feature;
                        }
                    }
                }
            }
        }
        return best;
    }

    @Test
    public void theServiceRunsAContainerOnItAndLogsNoError() throws Exception {
        Path exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(jpod.pid()), "exe"));
        assertTrue("the service runs on " + exe + ", not on " + jdk, exe.startsWith(jdk.toRealPath()));
        assertEquals("hi", ok("run", "--rm", "--network", "none", "busybox", "echo", "hi").out());
        List<String> errors = Files.readAllLines(jpod.dir.resolve("service.log")).stream()
                .filter(l -> l.startsWith("ERROR") || l.contains(" ERROR ") || l.startsWith("Caused by:")
                        || l.startsWith("java.lang.")).toList();
        assertEquals("errors in the service's log", List.of(), errors);
    }
}
