package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.state.State;

/** Names and IDs of containers, pods and volumes: unique generated names, the name rule, lookups' input. */
final class Names {
    private final NameGenerator generator = new NameGenerator();
    private final State state;

    Names(State state) {
        this.state = state;
    }

    String randomId() {
        return generator.randomId();
    }

    /** A name in libpod's adjective_surname style used by no container or pod. */
    String uniqueName() {
        return generator.uniqueName(this::taken);
    }

    private boolean taken(String name) {
        try {
            state.lookupContainer(name);
            return true;
        } catch (JpodException e) {
            if (!JpodException.is(e, ErrorCode.NO_SUCH_CTR)) {
                return true;
            }
        }
        try {
            state.lookupPod(name);
            return true;
        } catch (JpodException e) {
            return !JpodException.is(e, ErrorCode.NO_SUCH_POD);
        }
    }

    static void check(String name, String what) {
        if (!NameGenerator.NAME.matcher(name).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, what + " name \"" + name
                    + "\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
        }
    }

    static String requireId(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new JpodException(ErrorCode.EMPTY_ID, "name or ID cannot be empty");
        }
        return idOrName;
    }

    /** The full ID of a container by ID, unique prefix or name. */
    String containerId(String idOrName) {
        return state.lookupContainer(requireId(idOrName)).id();
    }
}
