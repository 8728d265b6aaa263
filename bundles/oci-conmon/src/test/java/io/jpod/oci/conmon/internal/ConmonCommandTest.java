package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.config.JpodConfig;
import io.jpod.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

public class ConmonCommandTest {
    private final JpodConfig conf = ConfigLoader.defaults();
    private final Path runtime = Path.of("/usr/bin/runc"), root = Path.of("/run/t/runtime/runc");

    private static String line(List<String> args) {
        return String.join(" ", args);
    }

    @Test
    public void aContainersCommandLine() {
        Path run = Path.of("/run/t/containers/c1/userdata");
        List<String> a = new ConmonCommand(runtime, root, conf, "c1", "c1", null, run)
                .exits(Path.of("/run/t/exits"), Path.of("/run/t/persist/c1"))
                .log("k8s-file", Path.of("/var/lib/t/containers/c1/ctr.log"), 1000).stdio(false, true).noPivot(true)
                .exitCommand(new ExitCommand(Path.of("/opt/jpod/bin/jpod-container-exited"), () -> "/s.sock",
                        Path.of("/run/t"), conf), "/run/t/netns/jpod-c1")
                .args();
        String l = line(a);
        assertTrue(l, l.startsWith("--api-version 1 -c c1 -u c1 -r /usr/bin/runc -b " + run + " -p " + run
                + "/pidfile -n c1 --exit-dir /run/t/exits --persist-dir /run/t/persist/c1 --full-attach"
                + " --runtime-arg=--root --runtime-arg=/run/t/runtime/runc"));
        assertTrue(l, l.contains(" -l k8s-file:/var/lib/t/containers/c1/ctr.log --log-level "));
        assertTrue(l, l.contains(" --log-size-max 1000 --runtime-arg=--log-format=json --runtime-arg=--log"
                + " --runtime-arg=" + run + "/oci-log -i --conmon-pidfile " + run + "/conmon.pid --no-pivot"
                + " --exit-command /opt/jpod/bin/jpod-container-exited --exit-command-arg "));
        assertTrue(l, l.contains(" --exit-command-arg --url --exit-command-arg unix:///s.sock "));
        assertTrue(l, l.endsWith(" --exit-command-arg c1"));
        // the container's own namespace, so that the cleanup does not work its path out
        assertTrue(l, l.contains(" --exit-command-arg --tmpdir --exit-command-arg /run/t --exit-command-arg --netns"
                + " --exit-command-arg /run/t/netns/jpod-c1 "));
        assertFalse(l, l.contains(" -t ") || l.contains(" -e "));
    }

    @Test
    public void aContainerWithoutANamespaceOfItsOwnHasNoNetnsInItsExitCommand() {
        ExitCommand exit = new ExitCommand(Path.of("/opt/jpod/bin/jpod-container-exited"), () -> "/s.sock",
                Path.of("/run/t"), conf);
        List<String> a = exit.args("c1", null);
        assertFalse(line(a), a.contains("--netns"));
        assertEquals("c1", a.get(a.size() - 1));
        assertFalse(exit.args("c1", " ").contains("--netns"));
        List<String> b = exit.args("c1", "/run/t/netns/jpod-c1");
        assertEquals("/run/t/netns/jpod-c1", b.get(b.indexOf("--netns") + 1));
    }

    @Test
    public void anExecSessionsCommandLine() {
        Path dir = Path.of("/run/t/containers/c1/userdata/exec/s1");
        List<String> a = new ConmonCommand(runtime, root, conf, "c1", "s1", "web", dir)
                .exits(dir.resolve("exit"), dir.resolve("persist")).log("journald", dir.resolve("exec.log"), 0)
                .stdio(true, true).execProcessSpec(dir.resolve("process.json")).args();
        String l = line(a);
        assertTrue(l, l.startsWith("--api-version 1 -c c1 -u s1 -r /usr/bin/runc -b " + dir + " -p " + dir
                + "/pidfile -n web --exit-dir " + dir + "/exit --persist-dir " + dir + "/persist --full-attach"));
        assertTrue(l, l.contains(" -l journald "));
        assertTrue(l, l.endsWith(" -t -i -e --exec-process-spec " + dir + "/process.json --conmon-pidfile " + dir
                + "/conmon.pid"));
        assertFalse(l, l.contains("--exit-command") || l.contains("--log-size-max") || l.contains("--no-pivot"));
    }
}
