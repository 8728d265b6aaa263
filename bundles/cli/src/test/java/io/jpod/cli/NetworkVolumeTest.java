package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import picocli.CommandLine;

/** Offline: the flags of jpod network and jpod volume as the libpod API's bodies, rows for templates, exit codes. */
public class NetworkVolumeTest {
    private static Object parsed(String... args) {
        CommandLine.ParseResult pr = Main.commandLine().parseArgs(args);
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return pr.commandSpec().userObject();
    }

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(err, true));
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Test
    public void networkCreateBodyAsPodmanSendsIt() {
        NetworkCommands.Create c = (NetworkCommands.Create) parsed("network", "create", "--subnet", "10.91.3.0/24",
                "--gateway", "10.91.3.254", "--ip-range", "10.91.3.128/25", "--label", "owner=me", "--label", "flag",
                "-o", "mtu=1400", "--internal", "--disable-dns", "net1");
        ObjectNode b = c.body();
        assertEquals("net1", b.path("name").asText());
        assertEquals("bridge", b.path("driver").asText());
        assertEquals("{\"subnet\":\"10.91.3.0/24\",\"gateway\":\"10.91.3.254\",\"lease_range\":"
                + "{\"start_ip\":\"10.91.3.129\",\"end_ip\":\"10.91.3.255\"}}", b.path("subnets").path(0).toString());
        assertEquals("{\"owner\":\"me\",\"flag\":\"\"}", b.path("labels").toString());
        assertEquals("{\"mtu\":\"1400\"}", b.path("options").toString());
        assertTrue(b.path("internal").asBoolean());
        assertEquals(false, b.path("dns_enabled").asBoolean());

        NetworkCommands.Create mac = (NetworkCommands.Create) parsed("network", "create", "-d", "macvlan", "-o",
                "parent=eth0", "--subnet", "192.168.7.0/24", "mv");
        ObjectNode m = mac.body();
        assertEquals("eth0", m.path("network_interface").asText());
        assertTrue(m.path("options").isMissingNode());
    }

    @Test
    public void networkCreateRefusesWhatPodmansClientRefuses() {
        assertEquals("invalid CIDR address: 10.91.300.0/24", assertThrows(IllegalArgumentException.class,
                () -> ((NetworkCommands.Create) parsed("network", "create", "--subnet", "10.91.300.0/24", "n")).body())
                .getMessage());
        assertEquals("cannot set gateway or range without subnet", assertThrows(IllegalArgumentException.class,
                () -> ((NetworkCommands.Create) parsed("network", "create", "--gateway", "10.0.0.1", "n")).body())
                .getMessage());
        assertEquals("cannot set more gateways than subnets", assertThrows(IllegalArgumentException.class,
                () -> ((NetworkCommands.Create) parsed("network", "create", "--subnet", "10.91.4.0/24", "--gateway",
                        "10.91.4.1,10.91.4.2", "n")).body()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ((NetworkCommands.Create) parsed("network", "create", "--subnet", "10.91.4.0/24", "--gateway",
                        "nonsense", "n")).body()).getMessage().contains("invalid string being converted to IP address"));
    }

    @Test
    public void networkCreateRefusesLeadingZerosSayingWhy() {
        for (String[] flags : new String[][] {{"--subnet", "10.91.03.0/24"}, {"--subnet", "10.91.3.0/024"},
            {"--subnet", "10.91.3.0/24", "--gateway", "10.91.3.01"}, {"--subnet", "10.91.3.0/24", "--ip-range",
                "10.91.3.0128/25"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("network", "create"));
            args.addAll(List.of(flags));
            args.add("n");
            String m = assertThrows(IllegalArgumentException.class,
                    () -> ((NetworkCommands.Create) parsed(args.toArray(new String[0]))).body()).getMessage();
            assertTrue(m, m.contains("leading zeros are refused"));
        }
        assertEquals("{\"subnet\":\"10.0.0.0/8\",\"lease_range\":{\"start_ip\":\"10.0.0.1\",\"end_ip\":\"10.0.0.255\"}}",
                ((NetworkCommands.Create) parsed("network", "create", "--subnet", "10.0.0.0/8", "--ip-range",
                        "10.0.0.0/24", "n")).body().path("subnets").path(0).toString());
    }

    @Test
    public void networkRowsHaveTheGoFieldNames() throws Exception {
        JsonNode n = Api.JSON.readTree("{\"name\":\"net1\",\"id\":\"" + "ab".repeat(32) + "\",\"driver\":\"bridge\","
                + "\"network_interface\":\"jpod1\",\"created\":\"2026-11-28T22:05:41.377830098Z\",\"subnets\":"
                + "[{\"subnet\":\"10.91.3.0/24\",\"gateway\":\"10.91.3.1\"}],\"ipv6_enabled\":false,\"internal\":false,"
                + "\"dns_enabled\":false,\"labels\":{\"a\":\"b\"},\"ipam_options\":{\"driver\":\"host-local\"}}");
        Map<String, Object> r = NetworkCommands.goNetwork(n);
        assertEquals("net1 jpod1 2026-11-28 22:05:41.377830098 +0000 UTC b\n",
                new Template("{{.Name}} {{.NetworkInterface}} {{.Created}} {{.Labels.a}}").render(r));
        assertEquals("10.91.3.0/24 10.91.3.1;\n",
                new Template("{{range .Subnets}}{{.Subnet}} {{.Gateway}};{{end}}").render(r));
        assertEquals("NETWORK ID\tNAME\tDRIVER\n", new Template(NetworkCommands.LS_TABLE).header(NetworkCommands.LS_HEADERS));
        assertEquals("{{.Name}}", NetworkCommands.headed("table {{.Name}}", true));
    }

    @Test
    public void rangeOverMapsAndLists() {
        Map<String, Object> row = Map.of("Nets", Map.of("b", Map.of("IP", "10.0.0.2"), "a", Map.of("IP", "10.0.0.1")),
                "List", List.of("x", "y"));
        assertEquals("10.0.0.1 10.0.0.2 \n", new Template("{{range .Nets}}{{.IP}} {{end}}").render(row));
        assertEquals("[x][y]\n", new Template("{{range .List}}[{{.}}]{{end}}").render(row));
        assertThrows(IllegalArgumentException.class, () -> new Template("{{range .List}}x").render(row));
    }

    @Test
    public void emptyArraysAndObjectsAsGoWritesThem() throws Exception {
        assertEquals("[]", Base.pretty(Api.JSON.createArrayNode(), 4));
        assertEquals("[\n  {\n    \"a\": {},\n    \"b\": [],\n    \"c\": \"[ ]\",\n    \"d\": \"x\\\":y\"\n  }\n]",
                Base.pretty(Api.JSON.readTree("[{\"a\":{},\"b\":[],\"c\":\"[ ]\",\"d\":\"x\\\":y\"}]"), 2));
    }

    @Test
    public void exitCodesOfRm() {
        assertEquals(1, NetworkCommands.rmCode(new ApiException(404, "network x not found")));
        assertEquals(2, NetworkCommands.rmCode(new ApiException(409, "network x is used by container(s) c: "
                + "remove them first or force the removal: network is being used")));
        assertEquals(1, VolumeCommands.rmCode(new ApiException(404, "no volume with name \"v\" found: no such volume")));
        assertEquals(2, VolumeCommands.rmCode(new ApiException(409, "volume v is being used by the following "
                + "container(s): c: volume is being used")));
        Main.ExitException e = assertThrows(Main.ExitException.class, () -> NetworkCommands.finish(
                List.of(new ApiException(409, "a: network is being used"), new ApiException(404, "b not found")),
                NetworkCommands::rmCode));
        assertEquals(1, e.code);
        assertEquals("b not found", e.getMessage());
    }

    @Test
    public void groupsWithoutACommandAndBadFlags() {
        String[] r = run("network");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].startsWith("Error: missing command 'jpod network COMMAND'"));
        r = run("volume", "ls", "--bogus");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].contains("See 'jpod volume ls --help'"));
        r = run("network", "rm");
        assertEquals("125", r[0]);
    }

    @Test
    public void volumeCreateAndNamedVolumesInRun() throws Exception {
        VolumeCommands.Create c = (VolumeCommands.Create) parsed("volume", "create", "-l", "a=b,c=d", "-o", "o=size=1m", "v1");
        assertEquals("{\"Name\":\"v1\",\"Driver\":\"local\",\"Labels\":{\"a\":\"b\",\"c\":\"d\"},\"Options\":{\"o\":\"size=1m\"}}",
                c.body().toString());
        ContainerCommands.Run run = (ContainerCommands.Run) parsed("run", "-v", "data:/data:ro", "-v", "/h:/c", "img");
        ObjectNode s = run.spec();
        assertEquals("[{\"Name\":\"data\",\"Dest\":\"/data\",\"Options\":[\"ro\"]}]", s.path("volumes").toString());
        assertEquals("/h", s.path("mounts").path(0).path("source").asText());
        assertEquals("v1\n", new Template("{{.Name}}").render(VolumeCommands.row(Api.JSON.readTree(
                "{\"Name\":\"v1\",\"CreatedAt\":\"2026-11-28T22:05:55Z\"}"))));
    }
}
