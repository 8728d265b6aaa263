package io.jpod.rest.internal;

import io.jpod.api.PerNetworkOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What Docker's and libpod's create requests share: reading ports, and the lookups. What the values may be
 * (ranges, paths, names, policies) the engine checks, for both.
 */
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
            throw ApiException.badRequest("invalid container port " + key + ": give PORT[/tcp|udp|sctp], one port "
                    + "per key");
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
}
