package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** The namespace a state is set to: what its lookups see ({@code ""} sees all). Guarded by the core's lock. */
final class Namespace {
    private String current = "";

    void set(String namespace) {
        current = namespace == null ? "" : namespace;
    }

    String current() {
        return current;
    }

    boolean sees(String objectNamespace) {
        return current.isEmpty() || current.equals(objectNamespace);
    }

    /** NS_MISMATCH for {@code subject} (e.g. "container 1234") in {@code objectNamespace}. */
    JpodException mismatch(String subject, String objectNamespace) {
        return JpodException.of(ErrorCode.NS_MISMATCH, subject + " is in namespace \"" + objectNamespace
                + "\" and we are in namespace \"" + current + "\"");
    }
}
