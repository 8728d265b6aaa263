package io.jpod.api;

import java.util.List;

/** A mount into a container, in the OCI runtime spec's terms. */
public record Mount(String type, String source, String destination, List<String> options) {
    public Mount {
        options = options == null ? List.of() : List.copyOf(options);
    }
}
