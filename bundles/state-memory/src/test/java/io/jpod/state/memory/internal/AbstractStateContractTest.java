package io.jpod.state.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The contract every state backend fulfils: libpod's State semantics. A backend's test extends this
 * class and says how to open a fresh, empty state. Published as a test-jar for the other backends.
 */
public abstract class AbstractStateContractTest {

    protected State state;

    /** A fresh, empty state. */
    protected abstract State openState() throws Exception;

    @Before
    public void openIt() throws Exception {
        state = openState();
    }

    @After
    public void closeIt() {
        if (state != null) {
            state.close();
        }
    }

    // ---- helpers

    public static String id(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < 64) {
            b.append('0');
        }
        return b.toString();
    }

    public static Container ctr(String idPrefix, String name) {
        return ctr(idPrefix, name, "", null);
    }

    public static Container ctr(String idPrefix, String name, String ns, String pod, Mount... mounts) {
        ContainerConfig cfg = ContainerConfig.builder().id(id(idPrefix)).name(name).namespace(ns).pod(pod).lockId(1)
                .image("busybox").command(List.of("sh", "-c", "echo hi")).env(List.of("A=B"))
                .labels(Map.of("k", "v")).mounts(List.of(mounts)).created(Instant.parse("2026-01-02T03:04:05.123456789Z"))
                .annotations(Map.of("a", "b")).networks(List.of("jpod")).build();
        return new Container(cfg, ContainerState.configured());
    }

    public static Pod pod(String idPrefix, String name) {
        return pod(idPrefix, name, "");
    }

    public static Pod pod(String idPrefix, String name, String ns) {
        return new Pod(id(idPrefix), name, ns, 7, Map.of("l", "1"), Instant.parse("2026-01-02T03:04:05Z"), null);
    }

    public static Volume vol(String name) {
        return vol(name, "");
    }

    public static Volume vol(String name, String ns) {
        return new Volume(name, "local", "/var/lib/jpod/volumes/" + name + "/_data", Map.of(), Map.of("o", "x"), ns, 3,
                Instant.parse("2026-01-02T03:04:05Z"), 0);
    }

    public static Mount volMount(String volume) {
        return new Mount("volume", volume, "/data", List.of("rw"));
    }

    public static JpodException expect(ErrorCode code, Runnable r) {
        try {
            r.run();
        } catch (JpodException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        }
        fail("expected JpodException " + code);
        return null;
    }

    private static Set<String> ids(List<Container> l) {
        return l.stream().map(Container::id).collect(Collectors.toSet());
    }

    // ---- containers

    @Test
    public void addAndGetContainerRoundTrips() {
        Container c = ctr("aa", "web");
        state.addContainer(c);
        assertEquals(c, state.container(c.id()));
        assertTrue(state.hasContainer(c.id()));
        assertEquals(c, state.lookupContainer("web"));
        assertEquals(List.of(c), state.allContainers());
    }

    @Test
    public void stateWithEveryFieldRoundTrips() {
        Container c = ctr("aa", "web");
        state.addContainer(c);
        ContainerState s = c.state().withStatus(ContainerStatus.RUNNING).withProcess(42, 41)
                .withStarted(Instant.parse("2026-03-04T05:06:07.000000001Z")).withMountPoint("/m").withNetNsPath("/run/netns/x")
                .withRunDir("/run/x").withRestartCount(2).withError("boom");
        Container saved = c.withState(s);
        state.saveContainer(saved);
        assertEquals(saved, state.container(c.id()));
        assertEquals(saved, state.updateContainer(c.id()));
    }

    @Test
    public void staticNetworkOptionsRoundTrip() {
        Container c = ctr("aa", "web");
        Container withOpts = c.withConfig(c.config().toBuilder().networks(List.of("n1", "n2"))
                .networkOptions(java.util.Map.of("n1", new io.jpod.api.PerNetworkOptions(List.of("10.97.0.5"),
                        "02:42:0a:61:00:05"))).build());
        state.addContainer(withOpts);
        assertEquals(withOpts, state.container(c.id()));
        assertEquals("02:42:0a:61:00:05", state.container(c.id()).config().networkOptions("n1").staticMac());
        assertTrue(state.container(c.id()).config().networkOptions("n2").isEmpty());
    }

    @Test
    public void lookupByFullIdNameAndUniquePrefix() {
        Container a = ctr("abc1", "one");
        Container b = ctr("abc2", "two");
        state.addContainer(a);
        state.addContainer(b);
        assertEquals(a, state.lookupContainer(a.id()));
        assertEquals(b, state.lookupContainer("two"));
        assertEquals(a, state.lookupContainer("abc1"));
        assertEquals(b, state.lookupContainer("abc2"));
        JpodException e = expect(ErrorCode.INVALID_ARG, () -> state.lookupContainer("abc"));
        assertEquals("more than one result for container ID prefix abc: invalid argument", e.getMessage());
    }

    @Test
    public void nameBeatsPrefix() {
        Container a = ctr("beef", "x");
        Container b = ctr("cafe", "beef");
        state.addContainer(a);
        state.addContainer(b);
        assertEquals(b, state.lookupContainer("beef"));
        assertEquals(a, state.lookupContainer("bee"));
    }

    @Test
    public void missingContainer() {
        JpodException e = expect(ErrorCode.NO_SUCH_CTR, () -> state.lookupContainer("x"));
        assertEquals("no container with name or ID \"x\" found: no such container", e.getMessage());
        expect(ErrorCode.NO_SUCH_CTR, () -> state.container(id("ff")));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.removeContainer(id("ff")));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.saveContainer(ctr("ff", "n")));
        assertFalse(state.hasContainer(id("ff")));
    }

    @Test
    public void emptyIdsAreRefused() {
        expect(ErrorCode.EMPTY_ID, () -> state.lookupContainer(""));
        expect(ErrorCode.EMPTY_ID, () -> state.container(null));
        expect(ErrorCode.EMPTY_ID, () -> state.lookupPod(""));
        expect(ErrorCode.EMPTY_ID, () -> state.lookupVolume(""));
        expect(ErrorCode.EMPTY_ID, () -> state.addContainer(ctr("aa", "")));
        expect(ErrorCode.INVALID_ARG, () -> state.addContainer(null));
    }

    @Test
    public void lookupOfPodNameAsContainerSaysSo() {
        state.addPod(pod("dd", "mypod"));
        JpodException e = expect(ErrorCode.NO_SUCH_CTR, () -> state.lookupContainer("mypod"));
        assertEquals("\"mypod\" is a pod, not a container: no such container", e.getMessage());
        state.addContainer(ctr("ee", "myctr"));
        e = expect(ErrorCode.NO_SUCH_POD, () -> state.lookupPod("myctr"));
        assertEquals("\"myctr\" is a container, not a pod: no such pod", e.getMessage());
    }

    @Test
    public void duplicateNameIsRefused() {
        state.addContainer(ctr("aa", "web"));
        JpodException e = expect(ErrorCode.CTR_EXISTS, () -> state.addContainer(ctr("bb", "web")));
        assertTrue(e.getMessage(), e.getMessage().contains("\"web\""));
        state.addPod(pod("cc", "p"));
        e = expect(ErrorCode.POD_EXISTS, () -> state.addContainer(ctr("dd", "p")));
        assertTrue(e.getMessage(), e.getMessage().contains("\"p\""));
        e = expect(ErrorCode.CTR_EXISTS, () -> state.addPod(pod("ee", "web")));
        assertTrue(e.getMessage(), e.getMessage().contains("\"web\""));
        assertEquals(1, state.allContainers().size());
        assertEquals(1, state.allPods().size());
    }

    @Test
    public void duplicateIdIsRefused() {
        state.addContainer(ctr("aa", "one"));
        JpodException e = expect(ErrorCode.CTR_EXISTS, () -> state.addContainer(ctr("aa", "two")));
        assertTrue(e.getMessage(), e.getMessage().contains(id("aa")));
        state.addPod(pod("bb", "p"));
        expect(ErrorCode.POD_EXISTS, () -> state.addContainer(ctr("bb", "three")));
        expect(ErrorCode.CTR_EXISTS, () -> state.addPod(pod("aa", "p2")));
        expect(ErrorCode.POD_EXISTS, () -> state.addPod(pod("bb", "p3")));
    }

    @Test
    public void removeContainerFreesNameAndId() {
        Container c = ctr("aa", "web");
        state.addContainer(c);
        state.removeContainer(c.id());
        assertFalse(state.hasContainer(c.id()));
        assertTrue(state.allContainers().isEmpty());
        state.addContainer(ctr("aa", "web"));
        assertEquals(1, state.allContainers().size());
    }

    @Test
    public void saveContainerCanRenameButNotOntoATakenName() {
        Container a = ctr("aa", "one");
        state.addContainer(a);
        state.addContainer(ctr("bb", "two"));
        Container renamed = a.withConfig(a.config().toBuilder().name("uno").build());
        state.saveContainer(renamed);
        assertEquals(renamed, state.lookupContainer("uno"));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.lookupContainer("one"));
        expect(ErrorCode.CTR_EXISTS, () -> state.saveContainer(a.withConfig(a.config().toBuilder().name("two").build())));
        state.saveContainer(renamed.withConfig(renamed.config().withLockId(9)));
        assertEquals(9, state.container(a.id()).config().lockId());
    }

    @Test
    public void renameContainerMovesTheNameAndKeepsTheStoredState() {
        Container a = ctr("aa", "one");
        state.addContainer(a);
        state.addContainer(ctr("bb", "two"));
        state.addPod(pod("cc", "apod"));
        Container running = a.withState(a.state().withStatus(ContainerStatus.RUNNING).withProcess(4242, 4241));
        state.saveContainer(running);

        Container renamed = state.renameContainer(a.id(), "uno");
        assertEquals("uno", renamed.name());
        assertEquals(ContainerStatus.RUNNING, renamed.state().status());
        assertEquals(4242, renamed.state().pid());
        assertEquals(renamed, state.lookupContainer("uno"));
        assertEquals(renamed, state.container(a.id()));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.lookupContainer("one"));
        // the old name is free at once, for a container or a pod
        state.addContainer(ctr("dd", "one"));

        expect(ErrorCode.CTR_EXISTS, () -> state.renameContainer(a.id(), "two"));
        expect(ErrorCode.POD_EXISTS, () -> state.renameContainer(a.id(), "apod"));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.renameContainer(id("ee"), "three"));
        assertEquals("uno", state.container(a.id()).name());
        assertEquals("two", state.lookupContainer("two").name());
        // to its own name: nothing changes, nothing fails
        assertEquals(renamed, state.renameContainer(a.id(), "uno"));
        assertEquals(3, state.allContainers().size());
    }

    // ---- namespaces

    @Test
    public void namespacesHideOtherObjects() {
        Container a = ctr("aa", "first", "ns1", null);
        Container b = ctr("ab", "second", "ns2", null);
        state.addContainer(a);
        state.addContainer(b);
        state.addPod(pod("ca", "pa", "ns1"));
        state.addPod(pod("cb", "pb", "ns2"));
        state.addVolume(vol("va", "ns1"));
        state.addVolume(vol("vb", "ns2"));
        assertEquals("", state.namespace());
        assertEquals(2, state.allContainers().size());
        assertEquals(b, state.lookupContainer("ab"));

        state.setNamespace("ns1");
        assertEquals("ns1", state.namespace());
        assertEquals(List.of(a), state.allContainers());
        assertEquals(1, state.allPods().size());
        assertEquals(1, state.allVolumes().size());
        assertEquals(a, state.lookupContainer("first"));
        // the prefix "a" is unique in ns1
        assertEquals(a, state.lookupContainer("a"));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.lookupContainer("second"));
        expect(ErrorCode.NO_SUCH_CTR, () -> state.lookupContainer("ab"));
        JpodException e = expect(ErrorCode.NS_MISMATCH, () -> state.lookupContainer(b.id()));
        assertTrue(e.getMessage(), e.getMessage().contains("ns2"));
        expect(ErrorCode.NS_MISMATCH, () -> state.container(b.id()));
        assertFalse(state.hasContainer(b.id()));
        expect(ErrorCode.NS_MISMATCH, () -> state.removeContainer(b.id()));
        expect(ErrorCode.NS_MISMATCH, () -> state.saveContainer(b));
        expect(ErrorCode.NS_MISMATCH, () -> state.addContainer(ctr("ee", "e", "ns2", null)));
        expect(ErrorCode.NS_MISMATCH, () -> state.pod(id("cb")));
        expect(ErrorCode.NS_MISMATCH, () -> state.lookupPod(id("cb")));
        expect(ErrorCode.NO_SUCH_POD, () -> state.lookupPod("pb"));
        assertFalse(state.hasPod(id("cb")));
        expect(ErrorCode.NS_MISMATCH, () -> state.volume("vb"));
        expect(ErrorCode.NS_MISMATCH, () -> state.lookupVolume("vb"));
        assertEquals("va", state.lookupVolume("v").name());
        // names stay unique across namespaces
        expect(ErrorCode.CTR_EXISTS, () -> state.addContainer(ctr("ff", "second", "ns1", null)));

        state.setNamespace("");
        assertEquals(2, state.allContainers().size());
        expect(ErrorCode.INVALID_ARG, () -> state.lookupContainer("a"));
    }

    // ---- pods

    @Test
    public void podLifecycleAndMembership() {
        Pod p = pod("dd", "mypod");
        state.addPod(p);
        assertEquals(p, state.pod(p.id()));
        assertEquals(p, state.lookupPod("mypod"));
        assertEquals(p, state.lookupPod("dd"));
        assertTrue(state.hasPod(p.id()));
        assertEquals(Set.of(), state.podContainers(p.id()));
        Container a = ctr("a1", "a", "", p.id());
        Container b = ctr("a2", "b", "", p.id());
        state.addContainer(a);
        state.addContainer(b);
        assertEquals(Set.of(a.id(), b.id()), state.podContainers(p.id()));
        JpodException e = expect(ErrorCode.CTR_IN_USE, () -> state.removePod(p.id()));
        assertTrue(e.getMessage(), e.getMessage().contains("2 containers"));
        assertTrue(e.getMessage(), e.getMessage().contains("remove them"));
        state.removeContainer(a.id());
        assertEquals(Set.of(b.id()), state.podContainers(p.id()));
        e = expect(ErrorCode.CTR_IN_USE, () -> state.removePod(p.id()));
        assertTrue(e.getMessage(), e.getMessage().contains("1 container"));
        state.removeContainer(b.id());
        state.removePod(p.id());
        assertFalse(state.hasPod(p.id()));
        expect(ErrorCode.NO_SUCH_POD, () -> state.pod(p.id()));
        expect(ErrorCode.NO_SUCH_POD, () -> state.podContainers(p.id()));
        state.addPod(pod("dd", "mypod"));
    }

    @Test
    public void containerInMissingPodIsRefused() {
        expect(ErrorCode.NO_SUCH_POD, () -> state.addContainer(ctr("aa", "a", "", id("99"))));
        assertTrue(state.allContainers().isEmpty());
    }

    @Test
    public void containerInPodOfOtherNamespaceIsRefused() {
        state.addPod(pod("dd", "p", "ns1"));
        expect(ErrorCode.NS_MISMATCH, () -> state.addContainer(ctr("aa", "a", "ns2", id("dd"))));
    }

    @Test
    public void podLookupsAndErrors() {
        state.addPod(pod("ab1", "x"));
        state.addPod(pod("ab2", "y"));
        JpodException e = expect(ErrorCode.INVALID_ARG, () -> state.lookupPod("ab"));
        assertEquals("more than one result for pod ID prefix ab: invalid argument", e.getMessage());
        e = expect(ErrorCode.NO_SUCH_POD, () -> state.lookupPod("zz"));
        assertEquals("no pod with name or ID \"zz\" found: no such pod", e.getMessage());
        expect(ErrorCode.NO_SUCH_POD, () -> state.removePod(id("zz")));
        expect(ErrorCode.NO_SUCH_POD, () -> state.savePod(pod("zz", "z")));
        Pod renamed = pod("ab1", "x2").withLockId(11);
        state.savePod(renamed);
        assertEquals(renamed, state.lookupPod("x2"));
        expect(ErrorCode.POD_EXISTS, () -> state.savePod(pod("ab1", "y")));
    }

    // ---- volumes

    @Test
    public void volumeLifecycle() {
        Volume v = vol("data");
        state.addVolume(v);
        assertEquals(v, state.volume("data"));
        assertTrue(state.hasVolume("data"));
        assertEquals(v, state.lookupVolume("da"));
        JpodException e = expect(ErrorCode.VOLUME_EXISTS, () -> state.addVolume(vol("data")));
        assertTrue(e.getMessage(), e.getMessage().contains("data"));
        state.addVolume(vol("dat2"));
        assertEquals(v, state.lookupVolume("data"));
        e = expect(ErrorCode.INVALID_ARG, () -> state.lookupVolume("dat"));
        assertEquals("more than one result for volume name prefix dat: invalid argument", e.getMessage());
        e = expect(ErrorCode.NO_SUCH_VOLUME, () -> state.lookupVolume("nope"));
        assertTrue(e.getMessage(), e.getMessage().contains("nope"));
        expect(ErrorCode.NO_SUCH_VOLUME, () -> state.volume("nope"));
        expect(ErrorCode.NO_SUCH_VOLUME, () -> state.volumeInUse("nope"));
        Volume mounted = v.withMountCount(2);
        state.saveVolume(mounted);
        assertEquals(mounted, state.volume("data"));
        expect(ErrorCode.NO_SUCH_VOLUME, () -> state.saveVolume(vol("nope")));
        state.removeVolume("data");
        assertFalse(state.hasVolume("data"));
        expect(ErrorCode.NO_SUCH_VOLUME, () -> state.removeVolume("data"));
        assertEquals(1, state.allVolumes().size());
    }

    @Test
    public void volumeInUseListsMountingContainers() {
        state.addVolume(vol("data"));
        state.addVolume(vol("other"));
        Container a = ctr("aa", "a", "", null, volMount("data"));
        Container b = ctr("bb", "b", "", null, new Mount("bind", "data", "/x", List.of()), volMount("other"));
        Container c = ctr("cc", "c", "", null, volMount("other"), volMount("data"));
        state.addContainer(a);
        state.addContainer(b);
        state.addContainer(c);
        assertEquals(Set.of(a.id(), c.id()), new HashSet<>(state.volumeInUse("data")));
        assertEquals(Set.of(b.id(), c.id()), new HashSet<>(state.volumeInUse("other")));
        expect(ErrorCode.VOLUME_BEING_USED, () -> state.removeVolume("data"));
        state.removeContainer(a.id());
        state.removeContainer(c.id());
        assertEquals(List.of(), state.volumeInUse("data"));
        state.removeVolume("data");
    }

    // ---- refresh, exit codes, DB config

    @Test
    public void refreshResetsRuntimeState() {
        Container run = ctr("aa", "run");
        Container conf = ctr("bb", "conf");
        state.addContainer(run);
        state.addContainer(conf);
        ContainerState running = run.state().withStatus(ContainerStatus.RUNNING).withProcess(10, 9).withMountPoint("/m");
        state.saveContainer(run.withState(running));
        state.addVolume(vol("data").withMountCount(3));
        state.setNamespace("other");
        state.refresh();
        state.setNamespace("");
        assertEquals(running.refreshed(), state.container(run.id()).state());
        assertEquals(ContainerStatus.EXITED, state.container(run.id()).state().status());
        assertEquals(0, state.container(run.id()).state().pid());
        assertNull(state.container(run.id()).state().mountPoint());
        assertEquals(ContainerState.configured(), state.container(conf.id()).state());
        assertEquals(0, state.volume("data").mountCount());
    }

    @Test
    public void exitCodes() throws Exception {
        assertEquals(OptionalInt.empty(), state.containerExitCode(id("aa")));
        state.addContainerExitCode(id("aa"), 3);
        state.addContainerExitCode(id("bb"), 0);
        assertEquals(OptionalInt.of(3), state.containerExitCode(id("aa")));
        state.pruneContainerExitCodes(Instant.now().minusSeconds(60));
        assertEquals(OptionalInt.of(3), state.containerExitCode(id("aa")));
        Thread.sleep(5);
        Instant cut = Instant.now();
        Thread.sleep(5);
        state.addContainerExitCode(id("cc"), 137);
        state.pruneContainerExitCodes(cut);
        assertEquals(OptionalInt.empty(), state.containerExitCode(id("aa")));
        assertEquals(OptionalInt.empty(), state.containerExitCode(id("bb")));
        assertEquals(OptionalInt.of(137), state.containerExitCode(id("cc")));
        expect(ErrorCode.EMPTY_ID, () -> state.addContainerExitCode("", 1));
    }

    @Test
    public void dbConfigIsStoredOnceAndValidated() {
        assertNull(state.dbConfig());
        DBConfig cfg = new DBConfig("/b", "/run/jpod", "/var/lib/jpod/storage", "/run/jpod/storage", "overlay", "/v");
        state.validateDBConfig(cfg);
        assertEquals(cfg, state.dbConfig());
        state.validateDBConfig(cfg);
        JpodException e = expect(ErrorCode.DB_BAD_CONFIG, () -> state.validateDBConfig(
                new DBConfig("/a", "/run/jpod", "/var/lib/jpod/storage", "/run/jpod/storage", "overlay", "/v")));
        assertEquals("database static dir \"/b\" does not match our static dir \"/a\": database configuration mismatch",
                e.getMessage());
        e = expect(ErrorCode.DB_BAD_CONFIG, () -> state.validateDBConfig(
                new DBConfig("/b", "/run/jpod", "/var/lib/jpod/storage", "/run/jpod/storage", "vfs", "/v")));
        assertEquals("database graph driver \"overlay\" does not match our graph driver \"vfs\": database configuration mismatch",
                e.getMessage());
        assertEquals(cfg, state.dbConfig());
        expect(ErrorCode.INVALID_ARG, () -> state.validateDBConfig(null));
    }

    @Test
    public void closedStateRefusesEverything() {
        state.addContainer(ctr("aa", "a"));
        state.close();
        state.close();
        List<Runnable> calls = List.of(
                () -> state.container(id("aa")), () -> state.lookupContainer("a"), () -> state.hasContainer(id("aa")),
                () -> state.addContainer(ctr("bb", "b")), () -> state.removeContainer(id("aa")),
                () -> state.saveContainer(ctr("aa", "a")), () -> state.allContainers(), () -> state.refresh(),
                () -> state.dbConfig(), () -> state.validateDBConfig(new DBConfig("/a", "/b", "/c", "/d", "e", "/f")),
                () -> state.setNamespace("x"), () -> state.namespace(), () -> state.addContainerExitCode(id("aa"), 1),
                () -> state.containerExitCode(id("aa")), () -> state.pruneContainerExitCodes(Instant.now()),
                () -> state.pod(id("aa")), () -> state.lookupPod("a"), () -> state.hasPod(id("aa")),
                () -> state.addPod(pod("cc", "c")), () -> state.removePod(id("cc")), () -> state.savePod(pod("cc", "c")),
                () -> state.podContainers(id("cc")), () -> state.allPods(), () -> state.volume("v"),
                () -> state.lookupVolume("v"), () -> state.hasVolume("v"), () -> state.addVolume(vol("v")),
                () -> state.removeVolume("v"), () -> state.saveVolume(vol("v")), () -> state.volumeInUse("v"),
                () -> state.allVolumes(), () -> state.updateContainer(id("aa")));
        for (Runnable call : calls) {
            expect(ErrorCode.DB_CLOSED, call);
        }
    }

    @Test
    public void concurrentAddsAllLand() throws Exception {
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int tt = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    state.addContainer(ctr(String.format("%x%03x", tt + 1, i), "c-" + tt + "-" + i));
                    state.lookupContainer("c-" + tt + "-" + i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(100, ids(state.allContainers()).size());
    }
}
