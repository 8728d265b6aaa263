package io.jpod.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the connection, output, JSON and template printing. */
abstract class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private Api api;
    final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

    Api api() {
        if (api == null) {
            api = main().connect();
        }
        return api;
    }

    /** The top command, with the connection options; groups such as {@code jpod system} sit in between. */
    Main main() {
        for (CommandSpec c = spec; c != null; c = c.parent()) {
            if (c.userObject() instanceof Main m) {
                return m;
            }
        }
        throw new IllegalStateException("not run under the jpod command");
    }

    /** podman's exists: 0 when the object answers, 1 when it is unknown, an error otherwise. */
    int exists(String path) {
        try {
            api().get(path, null);
            return 0;
        } catch (ApiException e) {
            if (e.status == 404) {
                return 1;
            }
            throw e;
        }
    }

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } finally {
            if (api != null) {
                api.close();
            }
            out.flush();
        }
    }

    abstract int run() throws Exception;

    /** JSON indented as Go's MarshalIndent with the given indent. */
    static String pretty(Object v, int indent) {
        // "key": value, as Go writes it
        Separators go = Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER);
        DefaultPrettyPrinter pp = new GoPrinter(new DefaultPrettyPrinter(go)
                .withObjectIndenter(new DefaultIndenter(" ".repeat(indent), "\n"))
                .withArrayIndenter(new DefaultIndenter(" ".repeat(indent), "\n")));
        try {
            return Api.JSON.writer(pp).writeValueAsString(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Go writes empty arrays and objects as [] and {}; Jackson's printer puts a space in between. */
    private static final class GoPrinter extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        GoPrinter(DefaultPrettyPrinter base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoPrinter(this);
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues > 0) {
                super.writeEndArray(g, nrOfValues);
                return;
            }
            if (!_arrayIndenter.isInline()) {
                --_nesting;
            }
            g.writeRaw(']');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (nrOfEntries > 0) {
                super.writeEndObject(g, nrOfEntries);
                return;
            }
            if (!_objectIndenter.isInline()) {
                --_nesting;
            }
            g.writeRaw('}');
        }
    }

    /** A JSON value as plain Java (maps, lists, strings, numbers) for templates. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(JsonNode n) {
        return Api.JSON.convertValue(n, LinkedHashMap.class);
    }

    /** Rows printed with a format: "json", a Go template, "table ..." or the default table. */
    void print(List<Map<String, Object>> rows, String format, String defaultTable, Map<String, String> headers) {
        Template t = new Template(format == null ? defaultTable : format);
        StringBuilder b = new StringBuilder();
        if (t.table) {
            b.append(t.header(headers));
        }
        for (Map<String, Object> row : rows) {
            b.append(t.render(row));
        }
        String text = b.toString();
        out.print(t.table || text.contains("\t") ? Template.align(text) : text);
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    /**
     * Writes what the service streams to {@code output}, whole or not at all (a file beside it, moved over it), or
     * to standard output when there is none: {@code save -o} and {@code export -o}.
     */
    void writeTo(InputStream in, Path output, String tmpPrefix) throws IOException {
        if (output == null) {
            in.transferTo(out);
            out.flush();
            return;
        }
        Path abs = output.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), tmpPrefix, ".tmp");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
