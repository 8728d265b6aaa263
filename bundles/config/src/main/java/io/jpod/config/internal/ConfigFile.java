package io.jpod.config.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One configuration file: its name as shown in messages, its text (kept to locate the line of a key
 * for a message) and the TOML tree the parser made of it.
 *
 * @param name the file's path as given, shown in messages
 * @param text the file's text
 * @param tree the parsed TOML document
 */
record ConfigFile(String name, String text, ObjectNode tree) {

    private static final TomlMapper TOML = new TomlMapper();

    public ConfigFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tree, "tree");
    }

    /** Reads and parses {@code path}; throws CONFIG_INVALID naming the file and line when it cannot. */
    public static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, path + ": cannot be read: it is not UTF-8 text");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, path + ": cannot be read: " + describe(e), e);
        }
        return parse(path.toString(), text);
    }

    /** Parses {@code text}; throws CONFIG_INVALID naming {@code name} and the line when it is not valid TOML. */
    public static ConfigFile parse(String name, String text) {
        JsonNode node;
        try {
            node = TOML.readTree(text);
        } catch (JacksonException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, malformed(name, text, e), e);
        }
        ObjectNode tree = node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        return new ConfigFile(name, text, tree);
    }

    /** "name:LINE: malformed TOML ...", from the parser's location, without the parser's own location suffix. */
    static String malformed(String name, String text, JacksonException e) {
        String what = e.getOriginalMessage();
        if (what == null || what.isBlank()) {
            what = e.getClass().getSimpleName();
        }
        JsonLocation loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNr();
        int column = loc == null ? -1 : loc.getColumnNr();
        if (line > 0 && what.startsWith("Duplicate key")) {
            // The parser notices a duplicate key only at the token after the statement: the line it names
            // is the next one with content (or the end of the statement's own line). Point at the statement.
            int stmt = column == 1 ? LineLocator.previousContentLine(text, line) : line;
            if (stmt > 0) {
                String key = LineLocator.keyOnLine(text, stmt);
                return name + ":" + stmt + ": malformed TOML: duplicate key" + (key == null ? "" : " " + key)
                        + " (each key may be set once per file)";
            }
        }
        if (line > 0 && what.startsWith("Table redefined")) {
            return name + ":" + line + ": malformed TOML: table redefined (each [table] may appear once per file)";
        }
        StringBuilder sb = new StringBuilder(name);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": malformed TOML");
        if (line > 0 && column > 0) {
            sb.append(" at column ").append(column);
        }
        return sb.append(": ").append(what.strip()).toString();
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (m != null && e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return m == null ? kind : m;
    }
}
