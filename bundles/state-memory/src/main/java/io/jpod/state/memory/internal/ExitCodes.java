package io.jpod.state.memory.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Exit codes by container ID; they outlive the containers (docker wait after --rm). */
final class ExitCodes {
    private final Map<String, ExitCode> byId = new HashMap<>();

    void put(String id, ExitCode exit) {
        byId.put(id, exit);
    }

    OptionalInt code(String id) {
        ExitCode e = byId.get(id);
        return e == null ? OptionalInt.empty() : OptionalInt.of(e.code());
    }

    /** IDs whose exit code was recorded before {@code when}. */
    List<String> recordedBefore(Instant when) {
        return byId.entrySet().stream().filter(e -> e.getValue().at().isBefore(when)).map(Map.Entry::getKey).toList();
    }

    void removeAll(List<String> ids) {
        ids.forEach(byId::remove);
    }
}
