package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.PortMapping;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** A create body's fields of the wrong JSON type, or too big for their type, are a 400 naming the field. */
public class CreateFieldsTest {
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode parse(String s) throws Exception {
        return json.readTree(s);
    }

    private static void refused(String field, String names, Runnable read) {
        ApiException e = assertThrows(ApiException.class, read::run);
        assertEquals(e.getMessage(), 400, e.status);
        assertTrue("names " + field + ": " + e.getMessage(), e.getMessage().startsWith(field + " "));
        assertTrue("says " + names + ": " + e.getMessage(), e.getMessage().contains(names));
    }

    @Test
    public void stringsBooleansAndNumbersMustBeOfTheirType() throws Exception {
        JsonNode b = parse("""
                {"s": "x", "n": 5, "t": true, "big": 1e30, "frac": 2.5, "huge": 99999999999999999999,
                 "neg": -3, "nul": null}""");
        assertEquals("x", CreateFields.text(b, "", "s"));
        assertEquals("", CreateFields.text(b, "", "nul"));
        assertEquals("", CreateFields.text(b, "", "missing"));
        refused("HostConfig.n", "must be a string, not 5", () -> CreateFields.text(b, "HostConfig.", "n"));
        assertTrue(CreateFields.bool(b, "", "t"));
        refused("s", "must be true or false, not \"x\"", () -> CreateFields.bool(b, "", "s"));
        assertEquals(-3, CreateFields.int32(b, "", "neg", 0));
        assertEquals(7, CreateFields.int32(b, "", "missing", 7));
        refused("big", "whole number", () -> CreateFields.int32(b, "", "big", 0));
        refused("frac", "whole number", () -> CreateFields.int32(b, "", "frac", 0));
        refused("huge", "whole number", () -> CreateFields.integer(b, "", "huge", Long.MIN_VALUE, Long.MAX_VALUE, 0));
        refused("s", "whole number", () -> CreateFields.int32(b, "", "s", 0));
        refused("n", "from 0 to 4", () -> CreateFields.integer(b, "", "n", 0, 4, 0));
        assertEquals(15, CreateFields.signal("SIGTERM", "StopSignal"));
        refused("StopSignal", "SIGFOO is not a signal: give a name such as SIGTERM",
                () -> CreateFields.signal("SIGFOO", "StopSignal"));
    }

    @Test
    public void listsAndMapsOfStrings() throws Exception {
        JsonNode b = parse("""
                {"cmd": ["a", null], "one": "sh", "nums": ["a", 1], "env": {"A": "1", "B": null},
                 "envNum": {"A": 1}, "mounts": [{"type": "bind"}, "x"]}""");
        assertEquals(List.of("a", ""), CreateFields.strings(b.get("cmd"), "Cmd"));
        assertEquals(List.of("sh"), CreateFields.strings(b.get("one"), "Cmd"));
        refused("Cmd[1]", "must be a string, not 1", () -> CreateFields.strings(b.get("nums"), "Cmd"));
        refused("Cmd", "list of strings", () -> CreateFields.strings(b.get("env"), "Cmd"));
        assertEquals(Map.of("A", "1", "B", ""), CreateFields.stringMap(b.get("env"), "env"));
        refused("env.A", "must be a string, not 1", () -> CreateFields.stringMap(b.get("envNum"), "env"));
        refused("mounts[1]", "must be an object", () -> CreateFields.objects(b, "mounts"));
    }

    @Test
    public void dockerHostPortsAreOnePortAsText() throws Exception {
        JsonNode hc = parse("""
                {"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}], "53/udp": [{"HostPort": 5353}]}}""");
        assertEquals(List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp", 1), new PortMapping("", 5353, 53, "udp", 1)),
                DockerCreateRequest.dockerPorts(parse("{}"), hc, List.of()));
        // the number's range is the engine's to check (it says 1 to 65535), here only that it is one port
        assertEquals(99999, DockerCreateRequest.dockerPorts(parse("{}"), parse("""
                {"PortBindings": {"80/tcp": [{"HostPort": "99999"}]}}"""), List.of()).get(0).hostPort());
        for (String bad : List.of("\"80x\"", "\"-5\"", "\"99999999999\"", "true", "[1]", "1.5")) {
            JsonNode h = parse("{\"PortBindings\": {\"80/tcp\": [{\"HostPort\": " + bad + "}]}}");
            ApiException e = assertThrows(ApiException.class, () -> DockerCreateRequest.dockerPorts(parse("{}"), h,
                    List.of()));
            assertTrue(bad + ": " + e.getMessage(), e.getMessage().startsWith("HostConfig.PortBindings.80/tcp[0]."
                    + "HostPort "));
        }
        JsonNode range = parse("{\"PortBindings\": {\"80/tcp\": [{\"HostPort\": \"8080-8090\"}]}}");
        refused("HostConfig.PortBindings.80/tcp[0].HostPort", "is a range: give one host port",
                () -> DockerCreateRequest.dockerPorts(json.createObjectNode(), range, List.of()));
        JsonNode notAList = parse("{\"PortBindings\": {\"80/tcp\": \"8080\"}}");
        refused("HostConfig.PortBindings.80/tcp", "list of port bindings",
                () -> DockerCreateRequest.dockerPorts(json.createObjectNode(), notAList, List.of()));
        refused("invalid container port", "80-82/tcp: give PORT[/tcp|udp|sctp], one port per key",
                () -> CreateSpecs.containerPort("80-82/tcp"));
    }

    @Test
    public void libpodPortMappingsAreUint16AndSplitTheirProtocols() throws Exception {
        assertEquals(List.of(new PortMapping("", 8080, 80, "tcp", 2), new PortMapping("", 8080, 80, "udp", 2)),
                LibpodCreateRequest.portMapping(parse("""
                        {"host_port": 8080, "container_port": 80, "protocol": "tcp,udp", "range": 2}"""), "p."));
        JsonNode tooBig = parse("{\"host_port\": 99999, \"container_port\": 80}");
        refused("portmappings[0].host_port", "from 0 to 65535, not 99999",
                () -> LibpodCreateRequest.portMapping(tooBig, "portmappings[0]."));
        JsonNode negative = parse("{\"host_port\": 80, \"container_port\": 80, \"range\": -1}");
        refused("p.range", "from 0 to 65535, not -1", () -> LibpodCreateRequest.portMapping(negative, "p."));
        JsonNode text = parse("{\"container_port\": \"80\"}");
        refused("p.container_port", "not \"80\"", () -> LibpodCreateRequest.portMapping(text, "p."));
        JsonNode ip = parse("{\"container_port\": 80, \"host_ip\": 1}");
        refused("p.host_ip", "must be a string", () -> LibpodCreateRequest.portMapping(ip, "p."));
    }
}
