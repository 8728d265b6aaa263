package io.jpod.rest.internal;

import io.jpod.api.Mount;
import io.jpod.api.PerNetworkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What Docker's and libpod's create requests share: ports, restart policies, volumes and binds. */
final class CreateSpecs {
    private CreateSpecs() {
    }

    /** What a create request needs from the engine and the image store while it is read. */
    interface Lookups {
        /** Per network options with Docker's and podman's names for the default network resolved. */
        Map<String, PerNetworkOptions> defaultNamed(Map<String, PerNetworkOptions> options);

        /** The image's ExposedPorts, which {@code -P} publishes too; none when the image is not stored. */
        List<String> imagePorts(String image);
    }

    /** {@code 80/tcp} → {80, tcp}. */
    static String[] containerPort(String key) {
        String[] p = key.split("/", 2);
        if (!p[0].matches("\\d{1,5}") || Integer.parseInt(p[0]) < 1 || Integer.parseInt(p[0]) > 65535) {
            throw ApiException.badRequest("invalid container port " + key + ": give PORT[/tcp|udp]");
        }
        return new String[] {p[0], p.length > 1 ? p[1] : "tcp"};
    }

    /** A port nothing listens on now, as the kernel picks one. */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ApiException(500, "cannot find a free host port: " + e.getMessage());
        }
    }

    static String restartPolicy(String name) {
        return switch (name) {
            case "no", "always", "on-failure", "unless-stopped" -> name;
            default -> throw ApiException.badRequest("invalid restart policy " + name
                    + ": use no, always, on-failure or unless-stopped");
        };
    }

    /** A named volume (made when missing) or, with an empty name, an anonymous one. */
    static Mount volume(String name, String destination, List<String> options) {
        if (!name.isEmpty() && !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw ApiException.badRequest("invalid volume name " + name + ": use letters, digits, '_', '.' and '-'");
        }
        if (!destination.startsWith("/")) {
            throw ApiException.badRequest("volume destination " + destination + " must be an absolute path in the "
                    + "container");
        }
        return new Mount("volume", name, destination, options);
    }

    static Mount checkedBind(String source, String destination, List<String> options) {
        if (!source.startsWith("/")) {
            throw ApiException.badRequest("bind source " + source + " is not an absolute path (a volume name has "
                    + "letters, digits, '_', '.' and '-')");
        }
        if (!destination.startsWith("/")) {
            throw ApiException.badRequest("bind destination " + destination + " must be an absolute path in the container");
        }
        if (!Files.exists(Path.of(source))) {
            throw ApiException.badRequest("bind source " + source + " does not exist: create it first");
        }
        return new Mount("bind", source, destination, options);
    }
}
