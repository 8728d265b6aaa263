package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * podman's port: a running container's published ports ({@code 80/tcp -> 0.0.0.0:8080}), one private port's host
 * address, or every running container's with {@code --all}; read from inspect's NetworkSettings.Ports.
 */
@Command(name = "port", description = "List port mappings or a specific mapping for the container")
final class PortCommand extends Base {
    @Option(names = {"-a", "--all"}, description = "Display port information for all containers")
    boolean all;
    @Option(names = {"-l", "--latest"}, description = "Act on the latest container podman is aware of")
    boolean latest;
    @Parameters(arity = "0..2", paramLabel = "CONTAINER [PRIVATE_PORT[/PROTO]]")
    List<String> args = new ArrayList<>();

    @Override
    int run() {
        if (latest) {
            throw new IllegalArgumentException("--latest is not supported by jpod: name the container");
        }
        String port = null;
        List<String> ids = new ArrayList<>();
        if (all) {
            if (args.size() > 1) {
                throw new IllegalArgumentException("the port option cannot be used together with --all");
            }
            if (args.size() == 1) {
                throw new IllegalArgumentException("no arguments are needed with --all");
            }
            for (JsonNode c : api().get("containers/json", null)) {
                ids.add(c.path("Id").asText());
            }
        } else {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("you must supply a running container name or id");
            }
            ids.add(args.get(0));
            port = args.size() > 1 ? args.get(1) : null;
        }
        String userPort = null;
        String userProto = "tcp";
        if (port != null) {
            String[] p = port.split("/", 2);
            userPort = p[0];
            if (p.length > 1) {
                userProto = p[1];
            }
            if (!userPort.matches("\\d{1,5}") || Integer.parseInt(userPort) > 65535) {
                throw new IllegalArgumentException("invalid port \"" + port + "\": give PORT or PORT/PROTO, as 80/tcp");
            }
        }
        boolean found = false;
        for (String id : ids) {
            JsonNode c = api().get("containers/" + Api.seg(id) + "/json", null);
            if (!c.path("State").path("Running").asBoolean(false)) {
                continue;
            }
            String prefix = all ? shortId(c.path("Id").asText()) + "\t" : "";
            JsonNode ports = c.path("NetworkSettings").path("Ports");
            for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) {
                    continue;
                }
                String[] key = e.getKey().split("/", 2);
                String proto = key.length > 1 ? key[1] : "tcp";
                for (JsonNode b : e.getValue()) {
                    String hostIp = b.path("HostIp").asText("");
                    hostIp = hostIp.isEmpty() ? "0.0.0.0" : hostIp;
                    String hostPort = b.path("HostPort").asText();
                    if (userPort == null) {
                        out.println(prefix + key[0] + "/" + proto + " -> " + hostIp + ":" + hostPort);
                    } else if (key[0].equals(userPort) && proto.equals(userProto)) {
                        out.println(hostIp + ":" + hostPort);
                        found = true;
                        break;
                    }
                }
            }
        }
        if (userPort != null && !found) {
            throw new ApiException(125, "failed to find published port \"" + port + "\"");
        }
        return 0;
    }
}
