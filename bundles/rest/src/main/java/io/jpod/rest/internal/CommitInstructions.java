package io.jpod.rest.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Dockerfile instructions {@code commit --change} takes, as docker's daemon takes them (its
 * validCommitCommands); any other is refused by name before the container is read.
 */
final class CommitInstructions {
    static final List<String> ACCEPTED = List.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
            "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
    private static final Set<String> SET = Set.copyOf(ACCEPTED);

    private CommitInstructions() {
    }

    static List<String> check(List<String> changes) {
        for (String change : changes) {
            String c = change == null ? "" : change.strip();
            if (c.isEmpty()) {
                throw ApiException.badRequest("a change is empty: give an instruction such as CMD /bin/sh");
            }
            int cut = 0;
            while (cut < c.length() && !Character.isWhitespace(c.charAt(cut)) && c.charAt(cut) != '=') {
                cut++;
            }
            String instruction = c.substring(0, cut).toUpperCase(Locale.ROOT);
            if (!SET.contains(instruction)) {
                throw ApiException.badRequest(instruction + " is not a valid change command: commit accepts "
                        + String.join(", ", ACCEPTED));
            }
        }
        return changes;
    }
}
