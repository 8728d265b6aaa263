package io.jpod.config;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.ContainersConfig;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.NetworkConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.api.config.StorageConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ConfigLoaderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(String name, String text) throws IOException {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    public void defaultsAreTheRootfulDefaults() {
        JpodConfig c = ConfigLoader.defaults();

        EngineConfig e = c.engine();
        // sqlite unless this host keeps an earlier release's mapdb state there (StateBackendChoiceTest)
        assertTrue(e.databaseBackend(), Set.of("sqlite", "mapdb").contains(e.databaseBackend()));
        assertEquals("shm", e.lockType());
        assertEquals(2048, e.numLocks());
        assertEquals("file", e.eventsLogger());
        assertEquals("/run/jpod/events/events.log", e.eventsLogfilePath());
        assertEquals(1_000_000L, e.eventsLogfileMaxSize());
        assertEquals("", e.runtime());
        assertEquals(List.of("/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc",
                "/sbin/runc", "/bin/runc", "/usr/lib/cri-o-runc/sbin/runc"), e.runtimes().get("runc"));
        assertEquals(List.of("/usr/bin/crun", "/usr/sbin/crun", "/usr/local/bin/crun", "/usr/local/sbin/crun",
                "/sbin/crun", "/bin/crun", "/run/current-system/sw/bin/crun"), e.runtimes().get("crun"));
        assertEquals(Set.of("runc", "crun"), e.runtimes().keySet());
        assertEquals("/usr/libexec/podman/conmon", e.conmonPath().get(0));
        assertTrue(e.conmonPath().containsAll(List.of("/usr/local/libexec/podman/conmon", "/usr/bin/conmon",
                "/usr/sbin/conmon", "/usr/local/bin/conmon")));
        assertEquals("/var/lib/jpod/engine", e.staticDir());
        assertEquals("/run/jpod", e.tmpDir());
        assertEquals("/var/lib/jpod/volumes", e.volumePath());
        assertEquals("", e.namespace());
        assertEquals(10, e.stopTimeout());
        assertEquals("cgroupfs", e.cgroupManager());
        assertEquals(300, e.exitCommandDelay());
        assertFalse(e.noPivotRoot());
        assertEquals("ctrl-p,ctrl-q", e.detachKeys());
        assertEquals("", e.infraImage());
        assertEquals(5, e.serviceTimeout());

        NetworkConfig n = c.network();
        assertEquals("cni", n.networkBackend());
        assertEquals(List.of("/usr/lib/cni", "/usr/libexec/cni", "/usr/local/libexec/cni", "/opt/cni/bin"),
                n.cniPluginDirs());
        assertEquals("/etc/jpod/networks", n.networkConfigDir());
        assertEquals("jpod", n.defaultNetwork());
        assertEquals("10.90.0.0/16", n.defaultSubnet());
        assertEquals(List.of("10.91.0.0/16/24", "10.92.0.0/14/24", "10.96.0.0/11/24", "10.128.0.0/9/24"),
                n.defaultSubnetPools());

        StorageConfig s = c.storage();
        assertEquals("overlay", s.driver());
        assertEquals("/var/lib/jpod/storage", s.graphRoot());
        assertEquals("/run/jpod/storage", s.runRoot());
        assertEquals(Map.of(), s.options());

        ContainersConfig k = c.containers();
        assertEquals(List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE", "SETFCAP",
                "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"), k.defaultCapabilities());
        assertEquals(List.of("net.ipv4.ping_group_range=0 0"), k.defaultSysctls());
        assertEquals(List.of(), k.defaultUlimits());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), k.env());
        assertEquals("k8s-file", k.logDriver());
        assertEquals(-1, k.logSizeMax());
        assertEquals(2048, k.pidsLimit());
        assertEquals("65536k", k.shmSize());
        assertEquals("/usr/share/containers/seccomp.json", k.seccompProfile());
        assertEquals("", k.tz());
        assertEquals("0022", k.umask());
        assertFalse(k.init());
        assertEquals(List.of(), k.annotations());
    }

    @Test
    public void noFilesGivesTheDefaultsAndNothingExplicit() {
        LoadedConfig l = ConfigLoader.of(List.of(tmp.getRoot().toPath().resolve("missing.conf")))
                .load(RuntimeOptions.NONE);
        assertEquals(ConfigLoader.defaults(), l.config());
        assertEquals(List.of(), l.filesRead());
        assertEquals(Set.of(), l.explicitDbFields());
    }

    @Test
    public void nullOverridesAreNone() {
        assertEquals(ConfigLoader.defaults(), ConfigLoader.of(List.of()).load(null).config());
    }

    @Test
    public void laterFilesOverrideOnlyTheKeysTheySet() throws IOException {
        Path a = write("a.conf", """
                [engine]
                num_locks = 100
                stop_timeout = 20
                conmon_path = ["/a/conmon", "/b/conmon"]

                [engine.runtimes]
                kata = ["/usr/bin/kata-runtime"]

                [containers]
                env = ["A=1"]
                """);
        Path missing = tmp.getRoot().toPath().resolve("not-there.conf");
        Path b = write("b.conf", """
                [engine]
                stop_timeout = 30
                conmon_path = ["/c/conmon"]

                [engine.runtimes]
                runc = ["/opt/runc"]

                [storage.options]
                mount_program = "/usr/bin/fuse-overlayfs"
                """);
        LoadedConfig l = ConfigLoader.of(List.of(a, missing, b)).load(RuntimeOptions.NONE);
        EngineConfig e = l.config().engine();
        assertEquals(List.of(a, b), l.filesRead());
        assertEquals(100, e.numLocks());                          // only a sets it
        assertEquals(30, e.stopTimeout());                        // b overrides a
        assertEquals(List.of("/c/conmon"), e.conmonPath());       // arrays replace
        assertEquals(List.of("/opt/runc"), e.runtimes().get("runc"));                 // b replaces runc
        assertEquals(List.of("/usr/bin/kata-runtime"), e.runtimes().get("kata"));     // a adds kata
        assertEquals(ConfigLoader.defaults().engine().runtimes().get("crun"), e.runtimes().get("crun")); // tables merge
        assertEquals(List.of("A=1"), l.config().containers().env());
        assertEquals(Map.of("mount_program", "/usr/bin/fuse-overlayfs"), l.config().storage().options());
        assertEquals(ConfigLoader.defaults().engine().databaseBackend(), e.databaseBackend()); // untouched default
        assertEquals(ConfigLoader.defaults().network(), l.config().network());
    }

    @Test
    public void eachLoadReadsTheFilesAgain() throws IOException {
        Path a = write("a.conf", "[engine]\nnum_locks = 100\n");
        ConfigLoader loader = ConfigLoader.of(List.of(a));
        assertEquals(100, loader.load(null).config().engine().numLocks());
        Files.writeString(a, "[engine]\nnum_locks = 200\n");
        assertEquals(200, loader.load(null).config().engine().numLocks());
    }

    @Test
    public void eventsLogfilePathFollowsTmpDirUnlessSet() throws IOException {
        Path a = write("a.conf", "[engine]\ntmp_dir = \"/run/other\"\n");
        assertEquals("/run/other/events/events.log",
                ConfigLoader.of(List.of(a)).load(null).config().engine().eventsLogfilePath());
        RuntimeOptions o = new RuntimeOptions(null, null, null, null, null, null, null, "/tmp/x", null, null, null,
                false, false, null);
        assertEquals("/tmp/x/events/events.log", ConfigLoader.of(List.of(a)).load(o).config().engine().eventsLogfilePath());
        Path b = write("b.conf", "[engine]\nevents_logfile_path = \"/var/log/e.log\"\n");
        assertEquals("/var/log/e.log", ConfigLoader.of(List.of(a, b)).load(o).config().engine().eventsLogfilePath());
    }

    @Test
    public void standardReadsUsrShareEtcThenJpodConf() throws IOException {
        Path usr = write("usr.conf", "[engine]\nnum_locks = 10\nstop_timeout = 1\n");
        Path etc = write("etc.conf", "[engine]\nnum_locks = 20\n");
        Path env = write("env.conf", "[engine]\nlock_type = \"file\"\n");
        ConfigLoader loader = ConfigLoader.standard(Map.of("JPOD_CONF", env.toString()), List.of(usr, etc), null);
        assertEquals(List.of(usr, etc, env), loader.files());
        LoadedConfig l = loader.load(null);
        assertEquals(List.of(usr, etc, env), l.filesRead());
        assertEquals(20, l.config().engine().numLocks());
        assertEquals(1, l.config().engine().stopTimeout());
        assertEquals("file", l.config().engine().lockType());
    }

    @Test
    public void standardWithoutJpodConfSkipsMissingFiles() throws IOException {
        Path usr = tmp.getRoot().toPath().resolve("nope.conf");
        Path etc = write("etc.conf", "[engine]\nnum_locks = 20\n");
        ConfigLoader loader = ConfigLoader.standard(Map.of("JPOD_CONF", "  "), List.of(usr, etc), null);
        assertEquals(List.of(usr, etc), loader.files());
        assertEquals(List.of(etc), loader.load(null).filesRead());
    }

    @Test
    public void standardUsesTheStandardPaths() {
        ConfigLoader loader = ConfigLoader.standard(Map.of(), ConfigLoader.STANDARD_FILES, null);
        assertEquals(List.of(Path.of("/usr/share/jpod/jpod.conf"), Path.of("/etc/jpod/jpod.conf")), loader.files());
        ConfigLoader withEnv = ConfigLoader.standard(Map.of("JPOD_CONF", "/x/y.conf"), ConfigLoader.STANDARD_FILES, null);
        assertEquals(Path.of("/x/y.conf"), withEnv.files().get(2));
        // the service's own file (etc/jpod.conf) comes after the standard ones and before $JPOD_CONF
        ConfigLoader withExtra = ConfigLoader.standard(Map.of("JPOD_CONF", "/x/y.conf"), ConfigLoader.STANDARD_FILES,
                "/opt/jpod/etc/jpod.conf");
        assertEquals(List.of(Path.of("/usr/share/jpod/jpod.conf"), Path.of("/etc/jpod/jpod.conf"),
                Path.of("/opt/jpod/etc/jpod.conf"), Path.of("/x/y.conf")), withExtra.files());
        assertEquals(2, ConfigLoader.standard(Map.of(), ConfigLoader.STANDARD_FILES, " ").files().size());
    }

    @Test
    public void missingJpodConfIsAnErrorNamingIt() {
        Path env = tmp.getRoot().toPath().resolve("gone.conf");
        ConfigLoader loader = ConfigLoader.standard(Map.of("JPOD_CONF", env.toString()), List.of(), null);
        JpodException e = assertThrows(JpodException.class, () -> loader.load(null));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("$JPOD_CONF names " + env + ", which does not exist: create it or unset JPOD_CONF",
                e.getMessage());
    }

    @Test
    public void overridesWinOverFilesAndAreExplicit() throws IOException {
        Path a = write("a.conf", """
                [engine]
                database_backend = "memory"
                runtime = "crun"
                namespace = "fromfile"
                static_dir = "/file/static"
                """);
        RuntimeOptions o = new RuntimeOptions("vfs", "/o/graph", "/o/run", "mapdb", "runc", "none", "file",
                "/o/tmp", "/o/static", "/o/volumes", "ns", true, true, "crun");
        LoadedConfig l = ConfigLoader.of(List.of(a)).load(o);
        EngineConfig e = l.config().engine();
        assertEquals("mapdb", e.databaseBackend());
        assertEquals("runc", e.runtime());
        assertEquals("none", e.eventsLogger());
        assertEquals("file", e.lockType());
        assertEquals("/o/tmp", e.tmpDir());
        assertEquals("/o/static", e.staticDir());
        assertEquals("/o/volumes", e.volumePath());
        assertEquals("ns", e.namespace());
        assertEquals("vfs", l.config().storage().driver());
        assertEquals("/o/graph", l.config().storage().graphRoot());
        assertEquals("/o/run", l.config().storage().runRoot());
        assertEquals(Set.of("staticDir", "tmpDir", "graphRoot", "runRoot", "graphDriver", "volumePath"),
                l.explicitDbFields());
    }

    @Test
    public void emptyOverridesForRuntimeAndNamespaceAreAllowed() throws IOException {
        Path a = write("a.conf", "[engine]\nruntime = \"crun\"\nnamespace = \"x\"\n");
        RuntimeOptions o = new RuntimeOptions(null, null, null, null, "", null, null, null, null, null, "", false,
                false, null);
        EngineConfig e = ConfigLoader.of(List.of(a)).load(o).config().engine();
        assertEquals("", e.runtime());
        assertEquals("", e.namespace());
    }

    @Test
    public void explicitDbFieldsFromFilesAndOverridesSeparately() throws IOException {
        Path a = write("a.conf", """
                [engine]
                static_dir = "/f/static"
                num_locks = 64

                [storage]
                driver = "vfs"
                """);
        Path b = write("b.conf", "[storage]\nrunroot = \"/f/run\"\n");
        RuntimeOptions o = new RuntimeOptions(null, null, null, null, null, null, null, "/o/tmp", null, null, null,
                false, false, null);
        LoadedConfig l = ConfigLoader.of(List.of(a, b)).load(o);
        assertEquals(Set.of("staticDir", "graphDriver", "runRoot", "tmpDir"), l.explicitDbFields());

        // a file setting a key to its default value still sets it explicitly, as libpod's flags do
        Path c = write("c.conf", "[engine]\nvolume_path = \"/var/lib/jpod/volumes\"\n[storage]\ngraphroot = \"/var/lib/jpod/storage\"\n");
        assertEquals(Set.of("volumePath", "graphRoot"), ConfigLoader.of(List.of(c)).load(null).explicitDbFields());

        // only the non-path options: nothing explicit
        RuntimeOptions names = new RuntimeOptions(null, null, null, "memory", "runc", "none", "file", null, null,
                null, "ns", true, false, null);
        assertEquals(Set.of(), ConfigLoader.of(List.of()).load(names).explicitDbFields());
    }

    @Test
    public void theConfigIsImmutable() throws IOException {
        Path a = write("a.conf", """
                [engine.runtimes]
                kata = ["/k"]
                [storage.options]
                mount_program = "/m"
                """);
        LoadedConfig l = ConfigLoader.of(List.of(a)).load(null);
        JpodConfig c = l.config();
        assertThrows(UnsupportedOperationException.class, () -> c.engine().conmonPath().add("/x"));
        assertThrows(UnsupportedOperationException.class, () -> c.engine().runtimes().put("x", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> c.engine().runtimes().get("kata").add("/x"));
        assertThrows(UnsupportedOperationException.class, () -> c.engine().runtimes().get("runc").clear());
        assertThrows(UnsupportedOperationException.class, () -> c.containers().env().add("X=1"));
        assertThrows(UnsupportedOperationException.class, () -> c.containers().defaultCapabilities().remove(0));
        assertThrows(UnsupportedOperationException.class, () -> c.containers().annotations().add("a=b"));
        assertThrows(UnsupportedOperationException.class, () -> c.network().cniPluginDirs().add("/x"));
        assertThrows(UnsupportedOperationException.class, () -> c.network().defaultSubnetPools().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.storage().options().put("a", "b"));
        assertThrows(UnsupportedOperationException.class, () -> l.filesRead().clear());
        assertThrows(UnsupportedOperationException.class, () -> l.explicitDbFields().add("x"));
        // the defaults handed out are not shared state either
        assertThrows(UnsupportedOperationException.class, () -> ConfigLoader.defaults().engine().conmonPath().clear());
        assertEquals(8, ConfigLoader.defaults().engine().conmonPath().size());
    }

    @Test
    public void loadedConfigCopiesWhatItIsGiven() {
        List<Path> files = new java.util.ArrayList<>(List.of(Path.of("/a")));
        Set<String> fields = new java.util.HashSet<>(Set.of("tmpDir"));
        LoadedConfig l = new LoadedConfig(ConfigLoader.defaults(), files, fields);
        files.add(Path.of("/b"));
        fields.add("staticDir");
        assertEquals(List.of(Path.of("/a")), l.filesRead());
        assertEquals(Set.of("tmpDir"), l.explicitDbFields());
    }

    @Test
    public void ofCopiesItsList() {
        List<Path> files = new java.util.ArrayList<>(List.of(Path.of("/a")));
        ConfigLoader loader = ConfigLoader.of(files);
        files.add(Path.of("/b"));
        assertEquals(List.of(Path.of("/a")), loader.files());
        assertThrows(UnsupportedOperationException.class, () -> loader.files().clear());
    }

    @Test
    public void defaultsAreAFreshEqualValue() {
        assertEquals(ConfigLoader.defaults(), ConfigLoader.defaults());
        JpodConfig d = ConfigLoader.defaults();
        assertSame(d.getClass(), JpodConfig.class);
    }

    @Test
    public void emptyAndCommentOnlyFilesAreFine() throws IOException {
        Path a = write("a.conf", "");
        Path b = write("b.conf", "# nothing here\n\n");
        LoadedConfig l = ConfigLoader.of(List.of(a, b)).load(null);
        assertEquals(ConfigLoader.defaults(), l.config());
        assertEquals(List.of(a, b), l.filesRead());
    }

    @Test
    public void unknownTablesAndKeysAreIgnored() throws IOException {
        Path a = write("a.conf", """
                top_level = 1
                [engine]
                num_locks = 99
                no_such_key = "x"
                [engine.volume_plugins]
                p = "/run/p.sock"
                [nonsense]
                x = [1, 2]
                [[farms]]
                y = 1
                """);
        LoadedConfig l = ConfigLoader.of(List.of(a)).load(null);
        assertEquals(99, l.config().engine().numLocks());
    }

    @Test
    public void dottedKeysAndInlineTablesWork() throws IOException {
        Path a = write("a.conf", """
                engine.num_locks = 77
                storage = {driver = "vfs", options = {mount_program = "/m"}}
                [network]
                default_subnet_pools = [{base = "10.1.0.0/16", size = 20}]
                """);
        JpodConfig c = ConfigLoader.of(List.of(a)).load(null).config();
        assertEquals(77, c.engine().numLocks());
        assertEquals("vfs", c.storage().driver());
        assertEquals("/var/lib/jpod/storage", c.storage().graphRoot());
        assertEquals(Map.of("mount_program", "/m"), c.storage().options());
        assertEquals(List.of("10.1.0.0/16/20"), c.network().defaultSubnetPools());
    }

    @Test
    public void eventsLogfileMaxSizeAcceptsIntegersAndSizeStrings() throws IOException {
        String[][] cases = {
                {"0", "0"}, {"2000", "2000"}, {"\"1m\"", "1000000"}, {"\"10MB\"", "10000000"},
                {"\"1k\"", "1000"}, {"\"3g\"", "3000000000"}, {"\"512\"", "512"}, {"\"1b\"", "1"},
                {"\"2KiB\"", "2000"}, {"\"1.5m\"", "1500000"}, {"\"7 M\"", "7000000"},
        };
        for (String[] c : cases) {
            Path a = write("size.conf", "[engine]\nevents_logfile_max_size = " + c[0] + "\n");
            assertEquals(c[0], Long.parseLong(c[1]),
                    ConfigLoader.of(List.of(a)).load(null).config().engine().eventsLogfileMaxSize());
        }
    }

    @Test
    public void theFullFixtureIsRead() throws Exception {
        Path full = Path.of(getClass().getResource("/containers-full.conf").toURI());
        LoadedConfig l = ConfigLoader.of(List.of(full)).load(null);
        JpodConfig c = l.config();
        ContainersConfig k = c.containers();
        assertEquals(List.of("run.oci.keep_original_groups=1", "io.jpod.test=yes"), k.annotations());
        assertEquals(List.of("CHOWN", "KILL", "NET_BIND_SERVICE"), k.defaultCapabilities());
        assertEquals(List.of("net.ipv4.ping_group_range=0 0", "net.ipv4.ip_unprivileged_port_start=80"),
                k.defaultSysctls());
        assertEquals(List.of("nofile=1024:2048", "nproc=512:1024"), k.defaultUlimits());
        assertEquals(List.of("PATH=/usr/local/bin:/usr/bin:/bin", "TERM=xterm"), k.env());
        assertTrue(k.init());
        assertEquals("journald", k.logDriver());
        assertEquals(10485760, k.logSizeMax());
        assertEquals(4096, k.pidsLimit());
        assertEquals("/etc/jpod/seccomp.json", k.seccompProfile());
        assertEquals("128m", k.shmSize());
        assertEquals("Europe/Berlin", k.tz());
        assertEquals("0027", k.umask());

        NetworkConfig n = c.network();
        assertEquals("cni", n.networkBackend());
        assertEquals(List.of("/usr/local/libexec/cni", "/usr/lib/cni"), n.cniPluginDirs());
        assertEquals("/etc/jpod/net.d", n.networkConfigDir());
        assertEquals("testnet", n.defaultNetwork());
        assertEquals("10.77.0.0/16", n.defaultSubnet());
        assertEquals(List.of("10.89.0.0/16/24", "10.90.0.0/15/26"), n.defaultSubnetPools());

        EngineConfig e = c.engine();
        assertEquals("systemd", e.cgroupManager());
        assertEquals(List.of("/opt/conmon/bin/conmon", "/usr/bin/conmon"), e.conmonPath());
        assertEquals("memory", e.databaseBackend());
        assertEquals("ctrl-a,ctrl-d", e.detachKeys());
        assertEquals("/var/log/jpod/events.log", e.eventsLogfilePath());
        assertEquals(1_000_000, e.eventsLogfileMaxSize());
        assertEquals("journald", e.eventsLogger());
        assertEquals(120, e.exitCommandDelay());
        assertEquals("localhost/pause:3.9", e.infraImage());
        assertEquals("file", e.lockType());
        assertEquals("tests", e.namespace());
        assertTrue(e.noPivotRoot());
        assertEquals(4096, e.numLocks());
        assertEquals("crun", e.runtime());
        assertEquals(0, e.serviceTimeout());
        assertEquals("/srv/jpod/engine", e.staticDir());
        assertEquals(30, e.stopTimeout());
        assertEquals("/run/jpod-test", e.tmpDir());
        assertEquals("/srv/jpod/volumes", e.volumePath());
        assertEquals(Set.of("runc", "crun", "kata", "crun-vm", "runsc"), e.runtimes().keySet());
        assertEquals(List.of("/usr/bin/crun", "/usr/local/bin/crun"), e.runtimes().get("crun"));
        assertEquals(List.of("/usr/bin/kata-runtime", "/usr/bin/kata-qemu"), e.runtimes().get("kata"));
        assertEquals(List.of("/usr/bin/crun-vm"), e.runtimes().get("crun-vm"));
        assertEquals(List.of(), e.runtimes().get("runsc"));
        assertEquals(ConfigLoader.defaults().engine().runtimes().get("runc"), e.runtimes().get("runc"));

        StorageConfig s = c.storage();
        assertEquals("vfs", s.driver());
        assertEquals("/srv/jpod/storage", s.graphRoot());
        assertEquals("/run/jpod-test/storage", s.runRoot());
        assertEquals(Map.of("mount_program", "/usr/bin/fuse-overlayfs", "overlay.mountopt", "nodev,metacopy=on"),
                s.options());

        assertEquals(Set.of("staticDir", "tmpDir", "graphRoot", "runRoot", "graphDriver", "volumePath"),
                l.explicitDbFields());
    }
}
