package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** The namespace a state is set to: what its lookups see ({@code ""} sees all). Set under the database's lock. */
final class Namespace {
    private volatile String current = "";

    void set(String namespace) {
        current = namespace == null ? "" : namespace;
    }

    String current() {
        return current;
    }

    boolean sees(String objectNamespace) {
        String ns = current;
        return ns.isEmpty() || ns.equals(objectNamespace);
    }

    /** NS_MISMATCH for {@code subject} (e.g. "container 1234") in {@code objectNamespace}. */
    JpodException mismatch(String subject, String objectNamespace) {
        return JpodException.of(ErrorCode.NS_MISMATCH, subject + " is in namespace \"" + objectNamespace
                + "\" and we are in namespace \"" + current + "\"");
    }
}
