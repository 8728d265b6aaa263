package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PerNetworkOptions;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creating a container from Docker's or libpod's request: both read into one config, made the same way. */
final class ContainerCreateApi implements CreateSpecs.Lookups {
    private final Services services;
    private final Shapes shapes;

    ContainerCreateApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/containers/create", x -> create(x, DockerCreateRequest.read(x, this)));
        libpod.add("POST", "/containers/create", x -> create(x, LibpodCreateRequest.read(x, this)));
    }

    private void create(Exchange x, ContainerConfig.Builder spec) throws IOException {
        EngineServices engine = services.engine();
        ContainerConfig config = spec.build();
        for (String net : config.networks()) {
            try {
                engine.networks().network(net);
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_NETWORK)) {
                    // 400, not 404: Docker's CLI answers a 404 to create by pulling the image
                    throw ApiException.badRequest("network " + net + " not found: create it first (network create)");
                }
                throw e;
            }
        }
        if (config.image() != null) {
            try {
                config = services.images().withImageDefaults(config);
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                    throw ApiException.notFound("No such image: " + config.image());
                }
                throw e;
            }
        }
        Container c;
        try {
            c = engine.containers().createContainer(config);
        } catch (JpodException e) {
            // a runtime the client named that the engine has not: the client's mistake, as Docker's 400 says
            if (config.ociRuntime() != null && !config.ociRuntime().isEmpty()
                    && JpodException.is(e, ErrorCode.OCI_RUNTIME_UNAVAILABLE)) {
                throw ApiException.badRequest(e.getMessage());
            }
            throw e;
        }
        ObjectNode o = shapes.object();
        o.put("Id", c.id());
        o.putArray("Warnings");
        x.json(201, o);
    }

    @Override
    public Map<String, PerNetworkOptions> defaultNamed(Map<String, PerNetworkOptions> options) {
        Map<String, PerNetworkOptions> out = new LinkedHashMap<>();
        for (Map.Entry<String, PerNetworkOptions> e : options.entrySet()) {
            String k = e.getKey();
            out.put(k.equals("default") || k.equals("bridge") ? services.networks().defaultNetwork() : k, e.getValue());
        }
        return out;
    }

    @Override
    public List<String> imagePorts(String image) {
        try {
            return services.images().inspect(image).config().exposedPorts();
        } catch (JpodException e) {
            return List.of();
        }
    }
}
