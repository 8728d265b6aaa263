package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.registry.ImageManifest;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.Registries;
import java.io.IOException;

/**
 * Docker's {@code GET /distribution/{name}/json}: the registry's descriptor of an image (its manifest for this
 * host's platform) and the platform, asked of the registry with the request's X-Registry-Auth.
 */
final class DistributionApi {
    private final Services services;
    private final Shapes shapes;

    DistributionApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/distribution/{name*}/json", this::inspect);
    }

    private void inspect(Exchange x) throws IOException {
        Registries registries = services.registries();
        ImageReference ref = registries.parse(x.param("name"));
        Platform host = registries.hostPlatform();
        ImageManifest m = registries.manifest(ref, host, RegistryAuths.options(x, ref.registry()));
        ObjectNode o = shapes.object();
        ObjectNode d = o.putObject("Descriptor");
        d.put("mediaType", m.mediaType());
        d.put("digest", m.reference().digest());
        d.put("size", m.raw().length);
        ObjectNode p = o.putArray("Platforms").addObject();
        p.put("architecture", host.architecture());
        p.put("os", host.os());
        if (host.variant() != null && !host.variant().isEmpty()) {
            p.put("variant", host.variant());
        }
        x.json(200, o);
    }
}
