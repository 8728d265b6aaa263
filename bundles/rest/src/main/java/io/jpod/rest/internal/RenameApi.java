package io.jpod.rest.internal;

import io.jpod.api.Container;

/** Docker's and libpod's {@code POST /containers/{id}/rename?name=}: 204, 404 unknown, 409 name in use, 400 bad name. */
final class RenameApi {
    private final Services services;

    RenameApi(Services services) {
        this.services = services;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/containers/{id}/rename", x -> rename(x, true));
        libpod.add("POST", "/containers/{id}/rename", x -> rename(x, false));
    }

    private void rename(Exchange x, boolean docker) throws Exception {
        String name = x.query("name");
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("a new name is required: give name=NEW_NAME");
        }
        Container c = services.engine().containers().container(x.param("id"));
        String wanted = name.startsWith("/") ? name.substring(1) : name;
        if (docker && wanted.equals(c.name())) {
            throw ApiException.badRequest("Renaming a container with the same name as its current name");
        }
        services.engine().containers().rename(c.id(), wanted);
        x.empty(204);
    }
}
