package io.jpod.config;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.RuntimeOptions;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Every kind of bad input, with the exact FILE:LINE: key message. */
public class ConfigErrorsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path file;

    @Before
    public void setUp() {
        file = tmp.getRoot().toPath().resolve("jpod.conf");
    }

    private String error(String text) throws IOException {
        return error(text, RuntimeOptions.NONE);
    }

    private String error(String text, RuntimeOptions o) throws IOException {
        Files.writeString(file, text);
        JpodException e = assertThrows(JpodException.class, () -> ConfigLoader.of(List.of(file)).load(o));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertFalse("no stack trace in " + e.getMessage(), e.getMessage().contains("\tat "));
        assertFalse("no parser location in " + e.getMessage(), e.getMessage().contains("[Source:"));
        return e.getMessage();
    }

    /** The message for {@code [section]\nKEY = VALUE} on line 3 of a file with a comment first. */
    private String errorOf(String section, String keyValue) throws IOException {
        return error("# jpod.conf\n[" + section + "]\n" + keyValue + "\n");
    }

    // ---- malformed TOML

    @Test
    public void malformedTomlNamesFileLineAndColumn() throws IOException {
        assertEquals(file + ":3: malformed TOML at column 13: Newline not permitted here",
                error("# x\n[engine]\nnum_locks = \nstop_timeout = 1\n"));
        assertEquals(file + ":1: malformed TOML at column 8: Newline not permitted here", error("[engine\nx=1\n"));
        assertEquals(file + ":4: malformed TOML at column 7: Unknown token", error("[engine]\n\n\n   foo bar\n"));
    }

    @Test
    public void duplicateKeyNamesTheLineOfTheSecondKey() throws IOException {
        assertEquals(file + ":3: malformed TOML: duplicate key num_locks (each key may be set once per file)",
                error("[engine]\nnum_locks = 5\nnum_locks = 6  # again\n\n# comment\n\nstop_timeout = 1\n"));
        assertEquals(file + ":3: malformed TOML: duplicate key num_locks (each key may be set once per file)",
                error("[engine]\nnum_locks = 5\nnum_locks = 6"));
        assertEquals(file + ":3: malformed TOML: duplicate key num_locks (each key may be set once per file)",
                error("[engine]\nnum_locks = 5\nnum_locks = 6\n"));
    }

    @Test
    public void redefinedTable() throws IOException {
        assertEquals(file + ":4: malformed TOML: table redefined (each [table] may appear once per file)",
                error("[engine]\nnum_locks = 5\n\n[engine]\nstop_timeout = 1\n"));
    }

    @Test
    public void unreadableFile() throws IOException {
        Path dir = tmp.newFolder("dir.conf").toPath();
        JpodException e = assertThrows(JpodException.class, () -> ConfigLoader.of(List.of(dir)).load(null));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage(), e.getMessage().startsWith(dir + ": cannot be read: "));
    }

    @Test
    public void notUtf8() throws IOException {
        Files.write(file, new byte[] {'a', '=', '"', (byte) 0xff, (byte) 0xfe, '"', '\n'});
        JpodException e = assertThrows(JpodException.class, () -> ConfigLoader.of(List.of(file)).load(null));
        assertEquals(file + ": cannot be read: it is not UTF-8 text", e.getMessage());
    }

    // ---- wrong types

    @Test
    public void wrongTypes() throws IOException {
        assertEquals(file + ":3: engine.num_locks = \"many\" is invalid: num_locks must be an integer",
                errorOf("engine", "num_locks = \"many\""));
        assertEquals(file + ":3: engine.num_locks = 1.5 is invalid: num_locks must be an integer",
                errorOf("engine", "num_locks = 1.5"));
        assertEquals(file + ":3: engine.stop_timeout = \"10s\" is invalid: stop_timeout must be an integer",
                errorOf("engine", "stop_timeout = \"10s\""));
        assertEquals(file + ":3: engine.database_backend = 5 is invalid: database_backend must be a string",
                errorOf("engine", "database_backend = 5"));
        assertEquals(file + ":3: engine.no_pivot_root = \"yes\" is invalid: no_pivot_root must be true or false",
                errorOf("engine", "no_pivot_root = \"yes\""));
        assertEquals(file + ":3: engine.conmon_path = \"/usr/bin/conmon\" is invalid: conmon_path must be an array"
                + " of strings", errorOf("engine", "conmon_path = \"/usr/bin/conmon\""));
        assertEquals(file + ":3: containers.env = [\"A=1\", 2] is invalid: env must be an array of strings (2 is not"
                + " a string)", errorOf("containers", "env = [\"A=1\", 2]"));
        assertEquals(file + ":3: containers.init = 1 is invalid: init must be true or false",
                errorOf("containers", "init = 1"));
        assertEquals(file + ":3: storage.driver = [\"overlay\"] is invalid: driver must be a string",
                errorOf("storage", "driver = [\"overlay\"]"));
    }

    @Test
    public void aSectionThatIsNotATable() throws IOException {
        assertEquals(file + ":2: engine = 5 is invalid: engine must be a table ([engine])",
                error("# x\nengine = 5\n"));
    }

    @Test
    public void hugeInteger() throws IOException {
        assertEquals(file + ":3: engine.stop_timeout = 99999999999999999999 is invalid: stop_timeout must be 0 or more",
                errorOf("engine", "stop_timeout = 99999999999999999999"));
    }

    // ---- invalid values

    @Test
    public void numLocksOutOfRange() throws IOException {
        assertEquals(file + ":3: engine.num_locks = 0 is invalid: num_locks must be between 1 and 1048576",
                errorOf("engine", "num_locks = 0"));
        assertEquals(file + ":3: engine.num_locks = -4 is invalid: num_locks must be between 1 and 1048576",
                errorOf("engine", "num_locks = -4"));
        assertEquals(file + ":3: engine.num_locks = 1048577 is invalid: num_locks must be between 1 and 1048576",
                errorOf("engine", "num_locks = 1048577"));
    }

    @Test
    public void theBriefsExampleMessage() throws IOException {
        String text = "# jpod.conf\n" + "\n".repeat(3) + "[containers]\ninit = false\n\n[engine]\n"
                + "lock_type = \"shm\"\n\n# how many\nnum_locks = 0\n";
        assertEquals(file + ":12: engine.num_locks = 0 is invalid: num_locks must be between 1 and 1048576",
                error(text));
    }

    @Test
    public void negativeSeconds() throws IOException {
        assertEquals(file + ":3: engine.stop_timeout = -1 is invalid: stop_timeout must not be negative (it is a"
                + " number of seconds)", errorOf("engine", "stop_timeout = -1"));
        assertEquals(file + ":3: engine.exit_command_delay = -5 is invalid: exit_command_delay must not be negative"
                + " (it is a number of seconds)", errorOf("engine", "exit_command_delay = -5"));
        assertEquals(file + ":3: engine.service_timeout = -5 is invalid: service_timeout must not be negative"
                + " (it is a number of seconds)", errorOf("engine", "service_timeout = -5"));
    }

    @Test
    public void emptyProviderNames() throws IOException {
        for (String key : List.of("events_logger", "lock_type", "database_backend")) {
            assertEquals(file + ":3: engine." + key + " = \"\" is invalid: " + key
                    + " must not be empty: it names the provider to use", errorOf("engine", key + " = \"\""));
        }
        assertEquals(file + ":3: engine.lock_type = \"  \" is invalid: lock_type must not be empty: it names the"
                + " provider to use", errorOf("engine", "lock_type = \"  \""));
    }

    @Test
    public void relativePaths() throws IOException {
        for (String key : List.of("static_dir", "tmp_dir", "volume_path")) {
            assertEquals(file + ":3: engine." + key + " = \"var/x\" is invalid: " + key + " must be an absolute path",
                    errorOf("engine", key + " = \"var/x\""));
        }
        for (String key : List.of("graphroot", "runroot")) {
            assertEquals(file + ":3: storage." + key + " = \"./x\" is invalid: " + key + " must be an absolute path",
                    errorOf("storage", key + " = \"./x\""));
        }
        assertEquals(file + ":3: engine.tmp_dir = \"\" is invalid: tmp_dir must be an absolute path",
                errorOf("engine", "tmp_dir = \"\""));
        assertEquals(file + ":3: engine.events_logfile_path = \"events.log\" is invalid: events_logfile_path must be"
                + " an absolute path (or empty for <tmp_dir>/events/events.log)",
                errorOf("engine", "events_logfile_path = \"events.log\""));
    }

    @Test
    public void runtimesThatAreNotArraysOfStrings() throws IOException {
        assertEquals(file + ":3: engine.runtimes.runc = \"/usr/bin/runc\" is invalid: each runtime in"
                + " [engine.runtimes] must be an array of strings: the paths where its binary may be, e.g."
                + " runc = [\"/usr/bin/runc\"]", errorOf("engine.runtimes", "runc = \"/usr/bin/runc\""));
        assertEquals(file + ":4: engine.runtimes.kata = [\"/usr/bin/kata\", 3] is invalid: each runtime in"
                + " [engine.runtimes] must be an array of strings: the paths where its binary may be, e.g."
                + " kata = [\"/usr/bin/kata\"]",
                error("# x\n[engine.runtimes]\ncrun = [\"/c\"]\nkata = [\"/usr/bin/kata\", 3]\n"));
        assertEquals(file + ":3: engine.runtimes.x = {a = 1} is invalid: each runtime in [engine.runtimes] must be"
                + " an array of strings: the paths where its binary may be, e.g. x = [\"/usr/bin/x\"]",
                errorOf("engine.runtimes", "x = {a = 1}"));
        assertEquals(file + ":3: engine.runtimes = [\"runc\"] is invalid: runtimes must be a table of runtime names"
                + " and the paths where their binary may be, e.g. [engine.runtimes] runc = [\"/usr/bin/runc\"]",
                errorOf("engine", "runtimes = [\"runc\"]"));
    }

    @Test
    public void runtimeEntryOnAMultiLineArray() throws IOException {
        String text = """
                [engine.runtimes]
                crun = [
                  "/usr/bin/crun",
                  "runc = 4",
                ]
                runc = [
                  "/usr/bin/runc",
                  false,
                ]
                """;
        assertEquals(file + ":6: engine.runtimes.runc = [\"/usr/bin/runc\", false] is invalid: each runtime in"
                + " [engine.runtimes] must be an array of strings: the paths where its binary may be, e.g."
                + " runc = [\"/usr/bin/runc\"]", error(text));
    }

    @Test
    public void badSizes() throws IOException {
        String expect = "events_logfile_max_size must be a size in bytes: an integer such as 1000000, or a string"
                + " such as \"1m\" or \"10MB\" (k, m, g: thousands, millions, billions)";
        assertEquals(file + ":3: engine.events_logfile_max_size = \"big\" is invalid: " + expect,
                errorOf("engine", "events_logfile_max_size = \"big\""));
        assertEquals(file + ":3: engine.events_logfile_max_size = \"1x\" is invalid: " + expect,
                errorOf("engine", "events_logfile_max_size = \"1x\""));
        assertEquals(file + ":3: engine.events_logfile_max_size = \"-1m\" is invalid: " + expect,
                errorOf("engine", "events_logfile_max_size = \"-1m\""));
        assertEquals(file + ":3: engine.events_logfile_max_size = true is invalid: " + expect,
                errorOf("engine", "events_logfile_max_size = true"));
        assertEquals(file + ":3: engine.events_logfile_max_size = -1 is invalid: events_logfile_max_size must not be"
                + " negative (0 means no limit)", errorOf("engine", "events_logfile_max_size = -1"));
    }

    @Test
    public void otherChecks() throws IOException {
        assertEquals(file + ":3: engine.cgroup_manager = \"cgroupsfs\" is invalid: cgroup_manager must be"
                + " \"cgroupfs\" or \"systemd\"", errorOf("engine", "cgroup_manager = \"cgroupsfs\""));
        assertEquals(file + ":3: containers.log_size_max = 100 is invalid: log_size_max must be negative (no limit)"
                + " or at least 8192 bytes (conmon's read buffer)", errorOf("containers", "log_size_max = 100"));
        assertEquals(file + ":3: containers.umask = \"999\" is invalid: umask must be an octal mode such as \"0022\"",
                errorOf("containers", "umask = \"999\""));
    }

    @Test
    public void badSubnetPools() throws IOException {
        String expected = "default_subnet_pools must be an array of inline tables such as"
                + " {base = \"10.91.0.0/16\", size = 24}";
        assertEquals(file + ":3: network.default_subnet_pools = [\"10.1.0.0/16\"] is invalid: " + expected
                + " (\"10.1.0.0/16\" is not)", errorOf("network", "default_subnet_pools = [\"10.1.0.0/16\"]"));
        assertEquals(file + ":3: network.default_subnet_pools = {base = \"10.1.0.0/16\", size = 24} is invalid: "
                + expected, errorOf("network", "default_subnet_pools = {base = \"10.1.0.0/16\", size = 24}"));
        assertEquals(file + ":3: network.default_subnet_pools = [{base = \"10.1.0.0/16\", size = 8}] is invalid:"
                + " default_subnet_pools: size must be a prefix length between the base's (16) and 32 (8 is not)",
                errorOf("network", "default_subnet_pools = [{base = \"10.1.0.0/16\", size = 8}]"));
        assertEquals(file + ":3: network.default_subnet_pools = [{base = \"10.1.0.0\", size = 24}] is invalid:"
                + " default_subnet_pools: base must be a subnet in CIDR notation such as \"10.91.0.0/16\""
                + " (\"10.1.0.0\" is not)",
                errorOf("network", "default_subnet_pools = [{base = \"10.1.0.0\", size = 24}]"));
    }

    @Test
    public void badStorageOptions() throws IOException {
        assertEquals(file + ":3: storage.options.size = 10 is invalid: storage options must be strings, e.g."
                + " size = \"...\"", errorOf("storage.options", "size = 10"));
        assertEquals(file + ":3: storage.options.overlay.force_mask = 700 is invalid: storage options must be"
                + " strings, e.g. force_mask = \"...\"", errorOf("storage.options.overlay", "force_mask = 700"));
    }

    @Test
    public void valuesInDottedKeysAndInlineTablesAreLocated() throws IOException {
        assertEquals(file + ":2: engine.num_locks = 0 is invalid: num_locks must be between 1 and 1048576",
                error("# x\nengine.num_locks = 0\n"));
        // inside an inline table: the line of the table's key
        assertEquals(file + ":3: engine.runtimes.runc = 1 is invalid: each runtime in [engine.runtimes] must be an"
                + " array of strings: the paths where its binary may be, e.g. runc = [\"/usr/bin/runc\"]",
                error("[engine]\nnum_locks = 3\nruntimes = {runc = 1}\n"));
        assertEquals(file + ":2: engine.num_locks = \"x\" is invalid: num_locks must be an integer",
                error("# x\n\"engine\" . 'num_locks' = \"x\"\n"));
    }

    @Test
    public void theLineIsFoundInTheRightTable() throws IOException {
        String text = """
                [containers]
                env = ["num_locks = 0"]
                [engine.runtimes]
                num_locks = ["/x"]
                [engine]
                # num_locks = 0
                stop_timeout = 3
                num_locks = 0
                """;
        assertEquals(file + ":8: engine.num_locks = 0 is invalid: num_locks must be between 1 and 1048576",
                error(text));
    }

    @Test
    public void theFileThatSetTheBadValueIsNamed() throws IOException {
        Path a = tmp.getRoot().toPath().resolve("a.conf");
        Path b = tmp.getRoot().toPath().resolve("b.conf");
        Files.writeString(a, "[engine]\nnum_locks = 0\nstop_timeout = 5\n");
        Files.writeString(b, "\n\n[engine]\nnum_locks = 10\nstop_timeout = -1\n");
        JpodException e = assertThrows(JpodException.class, () -> ConfigLoader.of(List.of(a, b)).load(null));
        assertEquals(b + ":5: engine.stop_timeout = -1 is invalid: stop_timeout must not be negative (it is a number"
                + " of seconds)", e.getMessage());
    }

    @Test
    public void everyProblemIsReportedOneALine() throws IOException {
        String text = "[engine]\nnum_locks = 0\nlock_type = \"\"\n[storage]\ngraphroot = \"rel\"\n";
        assertEquals(String.join("\n",
                file + ":2: engine.num_locks = 0 is invalid: num_locks must be between 1 and 1048576",
                file + ":3: engine.lock_type = \"\" is invalid: lock_type must not be empty: it names the provider to"
                        + " use",
                file + ":5: storage.graphroot = \"rel\" is invalid: graphroot must be an absolute path"), error(text));
    }

    @Test
    public void badOverrides() throws IOException {
        RuntimeOptions o = new RuntimeOptions(null, "rel/graph", null, "", null, null, null, "tmp", null, null, null,
                false, false, null);
        assertEquals(String.join("\n",
                "override engine.database_backend = \"\" is invalid: database_backend must not be empty: it names the"
                        + " provider to use",
                "override engine.tmp_dir = \"tmp\" is invalid: tmp_dir must be an absolute path",
                "override storage.graphroot = \"rel/graph\" is invalid: graphroot must be an absolute path"),
                error("", o));
    }

    @Test
    public void quotedStringsAreEscapedInMessages() throws IOException {
        assertEquals(file + ":3: engine.tmp_dir = \"a\\\"b\\\\c\" is invalid: tmp_dir must be an absolute path",
                errorOf("engine", "tmp_dir = 'a\"b\\c'"));
    }
}
