package io.jpod.runtime.internal;

import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets one string key of one table in a jpod.conf, keeping every other line (comments too) as it was: the key's
 * line in that table is replaced, or a line is added under the table's header, or the table is added at the end.
 * The file is replaced atomically with its mode kept; the caller checks the result by reading it again.
 */
final class ConfFileEdit {
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9_.\\-]+)\\s*\\]\\s*(#.*)?$");

    private final Path file;
    private final byte[] before;

    private ConfFileEdit(Path file, byte[] before) {
        this.file = file;
        this.before = before;
    }

    /** Sets {@code table.key = "value"} in {@code file} (made when missing); the edit can be undone. */
    static ConfFileEdit set(Path file, String table, String key, String value) throws IOException {
        Path real = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        byte[] before = Files.exists(real) ? Files.readAllBytes(real) : null;
        List<String> lines = before == null ? new ArrayList<>()
                : new ArrayList<>(new String(before, StandardCharsets.UTF_8).lines().toList());
        String assignment = key + " = \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Pattern keyLine = Pattern.compile("^(\\s*)" + Pattern.quote(key) + "\\s*=.*$");
        Pattern dottedLine = Pattern.compile("^(\\s*)" + Pattern.quote(table + "." + key) + "\\s*=.*$");
        String current = "";
        int header = -1;
        boolean done = false;
        for (int i = 0; i < lines.size() && !done; i++) {
            String line = lines.get(i);
            Matcher h = HEADER.matcher(line);
            if (h.matches() && !line.trim().startsWith("[[")) {
                current = h.group(1);
                if (current.equals(table)) {
                    header = i;
                }
                continue;
            }
            Matcher k = current.equals(table) ? keyLine.matcher(line) : current.isEmpty() ? dottedLine.matcher(line)
                    : null;
            if (k != null && k.matches()) {
                lines.set(i, k.group(1) + (current.isEmpty() ? table + "." : "") + assignment);
                done = true;
            }
        }
        if (!done) {
            if (header >= 0) {
                lines.add(header + 1, assignment);
            } else {
                if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                    lines.add("");
                }
                lines.add("[" + table + "]");
                lines.add(assignment);
            }
        }
        Set<PosixFilePermission> mode = before == null ? null : Files.getPosixFilePermissions(real);
        AtomicFiles.writeString(real, String.join("\n", lines) + "\n", mode);
        return new ConfFileEdit(real, before);
    }

    /** The file edited (symbolic links resolved). */
    Path file() {
        return file;
    }

    /** Puts the file back as it was before the edit (removes it when the edit made it). */
    void undo() throws IOException {
        if (before == null) {
            Files.deleteIfExists(file);
        } else {
            AtomicFiles.write(file, before, Files.getPosixFilePermissions(file));
        }
    }
}
