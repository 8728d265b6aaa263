package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;

/**
 * Pods through podman-remote and jpod's CLI: an infra container holding the namespaces its members share, so
 * that containers of one pod reach each other on 127.0.0.1, the pod's lifecycle, its refusals, and a service
 * restart under running pods.
 */
public class PodsIT extends ClientTestSupport {
    private static final String NET = "jpod-pods-it";
    private static final String NET_SUBNET = "10.97.15.0/24";

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** An HTTP status from the API, for the answers podman's client turns into exit codes. */
    private static String status(String method, String path, String body) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "--unix-socket", jpod.socket.toString(), "-X", method, "-H", "Content-Type: application/json"));
        if (body != null) {
            cmd.addAll(List.of("-d", body));
        }
        cmd.add("http://d/v4.3.1/libpod" + path);
        return jpod.run(cmd, 30).out();
    }

    /** The container's output, once a server in the pod answers (it may take a moment to listen). */
    private static String untilAnswered(String... args) throws Exception {
        Result r = null;
        for (int i = 0; i < 40; i++) {
            r = podman(args);
            if (r.code() == 0 && !r.out().isBlank()) {
                return r.out();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no answer from the pod: " + r);
    }

    private static String readFrom(int port) throws Exception {
        for (int i = 0; i < 40; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                String got = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!got.isEmpty()) {
                    return got;
                }
            } catch (java.io.IOException notYet) {
                // the server is not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port);
    }

    /** What a removed pod could leave on the host: its network namespaces and its port's iptables lines. */
    private static void nothingLeftOf(int port) throws Exception {
        Path netns = jpod.dir.resolve("run/netns");
        if (Files.isDirectory(netns)) {
            try (Stream<Path> s = Files.list(netns)) {
                assertEquals("network namespaces left", List.of(), s.map(Path::toString).toList());
            }
        }
        for (String l : jpod.run(List.of("iptables-save", "-t", "nat"), 10).out().split("\n")) {
            assertTrue("iptables line left: " + l, !l.contains("--dport " + port + " "));
        }
        Path hosts = jpod.dir.resolve("run/hosts");
        if (Files.isDirectory(hosts)) {
            try (Stream<Path> s = Files.list(hosts)) {
                assertEquals("hosts files left", List.of(), s.map(Path::toString).toList());
            }
        }
    }

    /** A test that failed midway leaves its pods: their infra containers go only with them. */
    @After
    public void removePods() throws Exception {
        podman("pod", "rm", "-a", "-f");
        podman("network", "rm", "-f", NET);
    }

    @Test
    public void podmanRemotePodWhoseContainersTalkOverLoopback() throws Exception {
        int port = freePort();
        // a network of the test's own: other services on this host share the default network's subnet
        podmanOk("network", "create", "--subnet", NET_SUBNET, NET);
        String id = podmanOk("pod", "create", "--name", "itpod", "-p", port + ":8080", "--label", "team=a",
                "--network", NET).out();
        assertTrue(id, id.matches("[0-9a-f]{64}"));
        assertEquals("itpod Created 1", podmanOk("pod", "ps", "--filter", "name=itpod", "--format",
                "{{.Name}} {{.Status}} {{.NumberOfContainers}}").out());
        assertEquals("[ipc net uts] true " + id.substring(0, 12) + "-infra", podmanOk("pod", "inspect", "itpod",
                "--format", "{{.SharedNamespaces}} {{.CreateInfra}} {{(index .Containers 0).Name}}").out());
        podmanOk("pod", "exists", "itpod");
        assertEquals(1, podman("pod", "exists", "nopod").code());

        // one container serves on the pod's loopback, another of the pod reads it there
        podmanOk("run", "-d", "--pod", "itpod", "--name", "srv", "busybox", "sh", "-c",
                "while true; do echo hello-pod | nc -l -p 8080; done");
        assertEquals("hello-pod", untilAnswered("run", "--rm", "--pod", "itpod", "busybox", "sh", "-c",
                "nc 127.0.0.1 8080 </dev/null"));
        // the pod's port is the infra container's, published on the host
        assertEquals("hello-pod", readFrom(port));
        // the pod's hostname, and every container of it in /etc/hosts
        String etc = podmanOk("run", "--rm", "--pod", "itpod", "--name", "peer", "busybox", "sh", "-c",
                "hostname; cat /etc/hosts").out();
        assertTrue(etc, etc.startsWith("itpod\n"));
        assertTrue(etc, etc.contains(" srv\n") && etc.contains(" peer") && etc.contains("-infra"));
        // ipc and uts are the infra container's, pid is not shared by default
        String infraPid = podmanOk("inspect", "--format", "{{.State.Pid}}", id.substring(0, 12) + "-infra").out();
        String srvPid = podmanOk("inspect", "--format", "{{.State.Pid}}", "srv").out();
        for (String ns : List.of("net", "ipc", "uts")) {
            assertEquals(ns, Files.readSymbolicLink(Path.of("/proc", infraPid, "ns", ns)),
                    Files.readSymbolicLink(Path.of("/proc", srvPid, "ns", ns)));
        }
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc", infraPid, "ns", "pid")),
                Files.readSymbolicLink(Path.of("/proc", srvPid, "ns", "pid")));
        assertEquals("Running", podmanOk("pod", "inspect", "itpod", "--format", "{{.State}}").out());
        String top = podmanOk("pod", "top", "itpod").out();
        assertTrue(top, top.startsWith("USER") && top.contains("/catatonit -P") && top.contains("nc -l -p 8080"));

        // a running member keeps the pod: 409 without force, as libpod's
        assertEquals("409", status("DELETE", "/pods/itpod", null));
        Result rm = podman("pod", "rm", "itpod");
        assertEquals(rm.toString(), 125, rm.code());
        assertTrue(rm.err(), rm.err().contains("srv"));
        podmanOk("pod", "exists", "itpod");

        podmanOk("pod", "stop", "-t", "2", "itpod");
        assertEquals("Exited", podmanOk("pod", "inspect", "itpod", "--format", "{{.State}}").out());
        assertEquals("304", status("POST", "/pods/itpod/stop", null));
        podmanOk("pod", "start", "itpod");
        assertEquals("hello-pod", readFrom(port));
        assertEquals("304", status("POST", "/pods/itpod/start", null));
        podmanOk("pod", "restart", "itpod");
        assertEquals("hello-pod", readFrom(port));

        // pod events through the engine's events, as libpod's API gives them
        String events = String.join("\n", Stream.of(jpod.curl("GET", "/v4.3.1/libpod/events?stream=false&since=0"
                + "&filters=%7B%22type%22%3A%5B%22pod%22%5D%7D").out().split("\n"))
                .filter(l -> l.contains("\"name\":\"itpod\"")).map(l -> l.replaceFirst(".*\"Action\":\"(\\w+)\".*", "$1"))
                .toList());
        // the first start was the infra container's, started for its first member: no pod event for it
        assertEquals("create\nstop\nstart\nrestart", events);

        assertEquals(id, podmanOk("pod", "rm", "-f", "itpod").out());
        assertEquals(1, podman("pod", "exists", "itpod").code());
        assertEquals("", podmanOk("ps", "-a", "--filter", "name=srv", "--format", "{{.Names}}").out());
        podmanOk("network", "rm", NET);
        nothingLeftOf(port);
    }

    @Test
    public void jpodPodCommands() throws Exception {
        String id = jpodOk("pod", "create", "--name", "clipod", "--share", "ipc,net,uts,pid").out();
        jpodOk("run", "-d", "--pod", "clipod", "--name", "cli-a", "busybox", "sleep", "300");
        String ps = jpodOk("pod", "ps", "--ctr-names", "--ctr-status").out();
        String[] lines = ps.split("\n");
        // podman 4.3.1's header for these flags
        assertEquals(List.of("POD", "ID", "NAME", "STATUS", "CREATED", "INFRA", "ID", "NAMES", "STATUS"),
                Arrays.asList(lines[0].trim().split("\\s+")));
        String row = Stream.of(lines).filter(l -> l.contains("clipod")).findFirst().orElseThrow();
        assertTrue(row, row.startsWith(id.substring(0, 12)) && row.contains(" Running ")
                && row.contains(id.substring(0, 12) + "-infra,cli-a") && row.endsWith("running,running"));
        assertEquals(List.of("POD", "ID", "NAME", "STATUS", "CREATED", "INFRA", "ID", "#", "OF", "CONTAINERS"),
                Arrays.asList(jpodOk("pod", "ps").out().split("\n")[0].trim().split("\\s+")));
        String withPod = jpodOk("ps", "--pod").out();
        assertTrue(withPod, withPod.split("\n")[0].endsWith("POD ID        PODNAME"));
        assertTrue(withPod, Stream.of(withPod.split("\n")).anyMatch(l -> l.contains("cli-a")
                && l.endsWith(id.substring(0, 12) + "  clipod")));
        // with pid shared, the member sees the infra container's catatonit as PID 1
        assertEquals("catatonit", jpodOk("exec", "cli-a", "cat", "/proc/1/comm").out());
        assertTrue(jpodOk("pod", "top", "clipod").out().contains("sleep 300"));

        jpodOk("pod", "pause", "clipod");
        assertEquals("Paused", jpodOk("pod", "inspect", "clipod", "--format", "{{.State}}").out());
        jpodOk("pod", "unpause", "clipod");
        assertEquals("Running", jpodOk("pod", "inspect", "--format", "{{.State}}", "clipod").out());
        assertEquals(id, jpodOk("pod", "kill", "clipod").out());
        assertEquals("", jpodOk("pod", "ps", "--filter", "status=running", "--format", "{{.Name}}").out());
        Result killed = jpod.jpod("pod", "kill", "clipod");
        assertEquals(killed.toString(), 125, killed.code());
        assertTrue(killed.err(), killed.err().contains("cannot kill a pod with no running containers"));
        assertEquals(0, jpod.jpod("pod", "exists", "clipod").code());
        assertEquals(1, jpod.jpod("pod", "exists", "nopod").code());
        Result missing = jpod.jpod("pod", "rm", "nopod");
        assertEquals(missing.toString(), 1, missing.code());

        // --pod new: makes the pod, which takes the container's ports
        int port = freePort();
        podmanOk("network", "create", "--subnet", NET_SUBNET, NET);
        jpodOk("run", "-d", "--pod", "new:newpod", "-p", port + ":8080", "--network", NET, "--name", "cli-web",
                "busybox", "sh", "-c",
                "while true; do echo from-new-pod | nc -l -p 8080; done");
        assertEquals("map[8080/tcp:[map[HostIp: HostPort:" + port + "]]]", jpodOk("pod", "inspect", "newpod",
                "--format", "{{.InfraConfig.PortBindings}}").out());
        assertEquals("from-new-pod", readFrom(port));
        jpodOk("pod", "stop", "newpod");
        String pruned = jpodOk("pod", "prune", "-f").out();
        assertTrue(pruned, pruned.contains(id));
        assertEquals(1, jpod.jpod("pod", "exists", "clipod").code());
        assertEquals(1, jpod.jpod("pod", "exists", "newpod").code());
        podmanOk("network", "rm", NET);
        nothingLeftOf(port);
    }

    @Test
    public void podLogsShowEveryMemberLineByLineAsPodmansDo() throws Exception {
        jpodOk("pod", "create", "--name", "logpod");
        try {
            String a = jpodOk("run", "-d", "--pod", "logpod", "--name", "log-a", "busybox", "sh",
                    "-c", "echo one-a; echo two-a >&2").out();
            String b = jpodOk("run", "-d", "--pod", "logpod", "--name", "log-b", "busybox", "echo", "one-b").out();
            jpodOk("wait", "log-a", "log-b");
            // each line led by the member's short ID, the infra container's (empty) log left out
            List<String> lines = Arrays.asList(jpod.jpod("pod", "logs", "logpod").out().split("\n"));
            assertEquals(lines.toString(), 2, lines.size());
            assertTrue(lines.toString(), lines.contains(a.substring(0, 12) + " one-a") && lines.contains(b.substring(0, 12)
                    + " one-b"));
            Result both = jpod.jpod("pod", "logs", "--names", "logpod");
            assertTrue(both.toString(), both.err().contains("log-a two-a"));
            assertEquals("one-a", jpodOk("pod", "logs", "-c", "log-a", "logpod").out());
            assertEquals("one-b", jpodOk("pod", "logs", "--tail", "1", "-c", b.substring(0, 12), "logpod").out());
            // podman-remote 4.3 takes one member with -c, through the container's logs
            assertEquals("one-a", podmanOk("pod", "logs", "-c", "log-a", "logpod").out());

            Result stranger = jpod.jpod("pod", "logs", "-c", "no-such-member", "logpod");
            assertEquals(stranger.toString(), 125, stranger.code());
            assertTrue(stranger.err(), stranger.err().contains("container no-such-member is not in pod logpod"));
            Result noPod = jpod.jpod("pod", "logs", "no-such-pod");
            assertEquals(noPod.toString(), 125, noPod.code());
            assertTrue(noPod.err(), noPod.err().contains("no-such-pod"));
        } finally {
            jpod.jpod("pod", "rm", "-f", "logpod");
        }
    }

    @Test
    public void badInputsAreRefusedAndLeaveNothing() throws Exception {
        podmanOk("create", "--name", "taken-name", "--network", "none", "busybox", "true");
        Result taken = podman("pod", "create", "--name", "taken-name");
        assertEquals(taken.toString(), 125, taken.code());
        assertTrue(taken.err(), taken.err().contains("in use"));
        podmanOk("rm", "taken-name");

        Result noPod = podman("create", "--pod", "no-such-pod", "busybox", "true");
        assertEquals(noPod.toString(), 125, noPod.code());
        assertTrue(noPod.err(), noPod.err().contains("no such pod"));
        assertEquals("404", status("POST", "/containers/create",
                "{\"image\":\"busybox\",\"pod\":\"no-such-pod\",\"command\":[\"true\"]}"));

        podmanOk("pod", "create", "--name", "strict");
        Result ownPorts = podman("create", "--pod", "strict", "-p", freePort() + ":80", "busybox", "true");
        assertEquals(ownPorts.toString(), 125, ownPorts.code());
        assertTrue(ownPorts.err(), ownPorts.err().contains("published ports must be defined when the pod is created"));
        assertEquals("400", status("POST", "/containers/create", "{\"image\":\"busybox\",\"pod\":\"strict\","
                + "\"command\":[\"true\"],\"portmappings\":[{\"container_port\":80,\"host_port\":" + freePort() + "}]}"));
        String infra = podmanOk("pod", "inspect", "strict", "--format", "{{.InfraContainerID}}").out();
        Result rmInfra = podman("rm", "-f", infra);
        assertNotEquals(rmInfra.toString(), 0, rmInfra.code());
        assertTrue(rmInfra.err(), rmInfra.err().contains("infra container of pod"));

        // fields jpod does not support, by name; a share it does not know
        Result addHost = podman("pod", "create", "--name", "addhostpod", "--add-host", "h:10.1.1.1");
        assertEquals(addHost.toString(), 125, addHost.code());
        assertTrue(addHost.err(), addHost.err().contains("hostadd is not supported"));
        Result share = podman("pod", "create", "--name", "sharepod", "--share", "user");
        assertEquals(share.toString(), 125, share.code());
        assertTrue(share.err(), share.err().contains("user namespace is not supported"));
        // the infra container is refused after the pod's record was made: neither is left
        Result host = podman("pod", "create", "--name", "longhost", "--hostname", "h".repeat(70));
        assertEquals(host.toString(), 125, host.code());
        for (String gone : List.of("addhostpod", "sharepod", "longhost")) {
            assertEquals(gone, 1, podman("pod", "exists", gone).code());
        }
        assertEquals("strict", podmanOk("pod", "ps", "--format", "{{.Name}}").out());
        assertEquals(infra, podmanOk("ps", "-a", "--no-trunc", "--format", "{{.ID}}").out());
        podmanOk("pod", "rm", "strict");
        assertEquals("", podmanOk("ps", "-a", "--format", "{{.ID}}").out());
        nothingLeftOf(0);
    }

    @Test
    public void aServiceRestartKeepsThePodRunning() throws Exception {
        podmanOk("pod", "create", "--name", "durable");
        podmanOk("run", "-d", "--pod", "durable", "--name", "durable-srv", "busybox", "sh", "-c",
                "while true; do echo still-here | nc -l -p 8080; done");
        String pid = podmanOk("inspect", "--format", "{{.State.Pid}}", "durable-srv").out();
        jpod.stopService();
        jpod.startService();
        assertEquals(pid, podmanOk("inspect", "--format", "{{.State.Pid}}", "durable-srv").out());
        assertEquals("Running", podmanOk("pod", "inspect", "durable", "--format", "{{.State}}").out());
        assertEquals("still-here", untilAnswered("run", "--rm", "--pod", "durable", "busybox", "sh", "-c",
                "nc 127.0.0.1 8080 </dev/null"));
        podmanOk("pod", "rm", "-f", "durable");
        nothingLeftOf(0);
    }

    private static Path yaml(String name, String text) throws Exception {
        Path f = jpod.dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    public void playKubeGenerateKubeAndDown() throws Exception {
        int port = freePort();
        Path host = Files.createDirectories(jpod.dir.resolve("kube-host"));
        Files.writeString(host.resolve("greeting"), "from-host-path");
        podmanOk("network", "create", "--subnet", NET_SUBNET, NET);
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kubepod
                  labels:
                    app: kubepod
                spec:
                  volumes:
                  - name: site
                    hostPath:
                      path: %s
                      type: Directory
                  - name: scratch
                    emptyDir: {}
                  - name: claim
                    persistentVolumeClaim:
                      claimName: kube-claim
                  containers:
                  - name: srv
                    image: busybox
                    command: [sh, -c]
                    args: ["echo kept > /data/kept; while true; do echo $GREETING-$(cat /site/greeting) | nc -l -p 8080; done"]
                    workingDir: /site
                    env:
                    - name: GREETING
                      value: hello
                    ports:
                    - containerPort: 8080
                      hostPort: %d
                    volumeMounts:
                    - name: site
                      mountPath: /site
                      readOnly: true
                    - name: scratch
                      mountPath: /scratch
                    - name: claim
                      mountPath: /data
                  - name: client
                    image: busybox
                    args: [sleep, "300"]
                """.formatted(host, port);
        Path file = yaml("pod.yaml", pod);
        Result played = podmanOk("play", "kube", "--network", NET, file.toString());
        assertTrue(played.out(), played.out().startsWith("Pod:\n") && played.out().contains("\nContainers:\n"));
        assertEquals("hello-from-host-path", readFrom(port));
        // the containers of one pod reach each other on 127.0.0.1
        assertEquals("hello-from-host-path", untilAnswered("exec", "kubepod-client", "sh", "-c",
                "nc 127.0.0.1 8080 </dev/null"));
        assertEquals("/site", podmanOk("exec", "kubepod-srv", "pwd").out());
        assertNotEquals(0, podman("exec", "kubepod-srv", "touch", "/site/x").code());
        assertEquals("kept", podmanOk("run", "--rm", "-v", "kube-claim:/d", "busybox", "cat", "/d/kept").out());

        // generate kube writes what play kube reads back to the same pod
        String generated = podmanOk("generate", "kube", "kubepod").out();
        assertTrue(generated, generated.contains("kind: Pod") && generated.contains("hostPort: " + port)
                && generated.contains("claimName: kube-claim") && generated.contains("name: GREETING"));
        Path again = yaml("generated.yaml", generated);
        Result down = podmanOk("play", "kube", "--down", file.toString());
        assertTrue(down.out(), down.out().startsWith("Pods stopped:\n") && down.out().contains("Pods removed:\n"));
        assertEquals(1, podman("pod", "exists", "kubepod").code());
        jpodOk("play", "kube", "--network", NET, again.toString());
        assertEquals("hello-from-host-path", readFrom(port));
        assertEquals("Running", jpodOk("pod", "inspect", "kubepod", "--format", "{{.State}}").out());
        assertEquals(List.of("kubepod-client", "kubepod-srv"), Stream.of(jpodOk("ps", "--format", "{{.Names}}")
                .out().split("\n")).filter(n -> n.startsWith("kubepod-")).sorted().toList());
        jpodOk("play", "kube", "--down", again.toString());
        assertEquals(1, podman("pod", "exists", "kubepod").code());

        // a Deployment of one replica is a pod named <name>-pod
        Path deployment = yaml("deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: dep
                spec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app: dep
                  template:
                    metadata:
                      labels:
                        app: dep
                    spec:
                      containers:
                      - name: main
                        image: busybox
                        args: [sleep, "300"]
                """);
        podmanOk("play", "kube", deployment.toString());
        assertEquals("Running", podmanOk("pod", "inspect", "dep-pod", "--format", "{{.State}}").out());
        podmanOk("play", "kube", "--down", deployment.toString());

        // refused with the field and line named; nothing made
        Result replicas = podman("play", "kube", yaml("three.yaml", Files.readString(deployment)
                .replace("replicas: 1", "replicas: 3")).toString());
        assertEquals(replicas.toString(), 125, replicas.code());
        assertTrue(replicas.err(), replicas.err().contains("spec.replicas 3 is not supported"));
        Result kind = podman("play", "kube", yaml("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n")
                .toString());
        assertTrue(kind.err(), kind.err().contains("kind Service is not supported") && kind.err().contains("line 1"));
        Result malformed = podman("play", "kube", yaml("bad.yaml", "kind: Pod\nmetadata: [\n").toString());
        assertTrue(malformed.err(), malformed.err().contains("the YAML is malformed at line"));
        Result missingImage = podman("play", "kube", yaml("noimage.yaml", pod.replace("image: busybox\n    args",
                "image: localhost/no-such-image\n    args")).toString());
        assertEquals(missingImage.toString(), 125, missingImage.code());
        assertEquals(1, podman("pod", "exists", "kubepod").code());
        assertEquals("", podmanOk("ps", "-a", "--format", "{{.Names}}").out());
        podmanOk("volume", "rm", "kube-claim");
        podmanOk("network", "rm", NET);
        nothingLeftOf(port);
    }
}
