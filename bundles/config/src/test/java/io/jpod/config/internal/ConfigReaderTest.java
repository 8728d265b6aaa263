package io.jpod.config.internal;

import io.jpod.api.config.RuntimeOptions;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class ConfigReaderTest {

    @Test
    public void unknownTablesAndKeysAreNamedWithTheirFile() {
        ConfigFile f = ConfigFile.parse("/etc/jpod/jpod.conf", """
                top = 1
                [containers]
                apparmor_profile = "x"
                env = []
                [engine]
                num_locks = 9
                no_such_key = "x"
                [engine.volume_plugins]
                p = "/run/p.sock"
                [engine.runtimes]
                kata = ["/k"]
                [machine]
                cpus = 1
                [[farms]]
                y = 1
                [storage.options]
                anything = "goes"
                """);
        ConfigReader.Result r = ConfigReader.readParsed(List.of(f), List.of(), RuntimeOptions.NONE);
        assertEquals(List.of(
                "/etc/jpod/jpod.conf: top",
                "/etc/jpod/jpod.conf: containers.apparmor_profile",
                "/etc/jpod/jpod.conf: engine.no_such_key",
                "/etc/jpod/jpod.conf: [engine.volume_plugins]",
                "/etc/jpod/jpod.conf: [machine]",
                "/etc/jpod/jpod.conf: farms"), r.ignored());
        assertEquals(9, r.config().engine().numLocks());
    }

    @Test
    public void theFullFixtureIgnoresPodmansOwnTables() throws Exception {
        Path full = Path.of(getClass().getResource("/containers-full.conf").toURI());
        ConfigReader.Result r = ConfigReader.read(List.of(full), RuntimeOptions.NONE);
        for (String t : List.of("[secrets]", "[engine.volume_plugins]", "[engine.service_destinations]",
                "[engine.platform_to_oci_runtime]", "[machine]", "[farms]", "[podmansh]", "containers.apparmor_profile",
                "engine.retry_delay", "network.dns_bind_port")) {
            assertTrue(t + " in " + r.ignored(), r.ignored().contains(full + ": " + t));
        }
        for (String used : List.of("engine.num_locks", "[engine.runtimes]", "[storage.options]", "containers.env")) {
            assertTrue(used, r.ignored().stream().noneMatch(s -> s.endsWith(": " + used)));
        }
    }

    @Test
    public void theInstalledContainersConfIgnoresOnlyWhatJpodDoesNotRead() {
        Path installed = Path.of("/usr/share/containers/containers.conf");
        org.junit.Assume.assumeTrue(Files.isReadable(installed));
        ConfigReader.Result r = ConfigReader.read(List.of(installed), RuntimeOptions.NONE);
        assertTrue(r.ignored().contains(installed + ": [machine]"));
    }

    @Test
    public void theDefaultsResourceSetsEveryKeyTheSchemaKnows() {
        ConfigFile d = ConfigFile.parse("defaults", readDefaults());
        Schema.KEYS.forEach((section, keys) -> keys.forEach(k -> assertTrue(section + "." + k,
                d.tree().get(section).has(k))));
    }

    private static String readDefaults() {
        try (var in = ConfigReader.class.getResourceAsStream("defaults.conf")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
