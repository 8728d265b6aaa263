package io.jpod.api;

import java.util.List;
import java.util.Map;

/**
 * Whether the engine is assembled and, if not, why. The assembler publishes it always, even when the
 * engine's services are not registered.
 *
 * @param assembled whether the engine's services are registered
 * @param selected  per kind, the provider name the configuration selects
 * @param missing   {@code kind:name} for every selected name without a provider
 * @param installed per kind, the names of the providers installed now
 * @param problems  other reasons it is not assembled: a provider failed to open, a config error
 * @param notices   what is amiss but keeps nothing from working, e.g. a provider name registered twice (the
 *                  first serves); a client waiting for the engine goes on waiting through these
 */
public record EngineStatus(boolean assembled, Map<ProviderKind, String> selected, List<String> missing,
        Map<ProviderKind, List<String>> installed, List<String> problems, List<String> notices) {

    public EngineStatus {
        selected = Map.copyOf(selected);
        missing = List.copyOf(missing);
        installed = Map.copyOf(installed);
        problems = List.copyOf(problems);
        notices = List.copyOf(notices);
    }

    /** A status without notices. */
    public EngineStatus(boolean assembled, Map<ProviderKind, String> selected, List<String> missing,
            Map<ProviderKind, List<String>> installed, List<String> problems) {
        this(assembled, selected, missing, installed, problems, List.of());
    }

    /** One sentence for a log line or an HTTP 503 body. */
    public String message() {
        if (assembled) {
            StringBuilder sb = new StringBuilder("engine assembled:");
            for (ProviderKind k : ProviderKind.values()) {
                if (selected.containsKey(k)) {
                    sb.append(' ').append(k.word()).append('=').append(selected.get(k));
                }
            }
            problems.forEach(p -> sb.append("; ").append(p));
            notices.forEach(p -> sb.append("; ").append(p));
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder("engine not assembled");
        if (!missing.isEmpty()) {
            sb.append(": missing providers ").append(String.join(", ", missing)).append("; installed:");
            for (ProviderKind k : ProviderKind.values()) {
                List<String> names = installed.getOrDefault(k, List.of());
                sb.append(' ').append(k.word()).append('=').append(names.isEmpty() ? "(none)" : String.join("|", names));
            }
        }
        List<String> all = new java.util.ArrayList<>(problems);
        all.addAll(notices);
        if (!all.isEmpty()) {
            sb.append(missing.isEmpty() ? ": " : "; ").append(String.join("; ", all));
        }
        return sb.toString();
    }
}
