package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpod pod logs}: the logs of a pod's containers (its infra container aside), each line led by the container's
 * short ID or name, as podman's. Without {@code --follow} the containers' logs come one after another; with it, side
 * by side as they are written.
 */
@Command(name = "logs", description = "Fetch logs for pod with at least one container")
final class PodLogsCommand extends Base {
    // podman's colours for --color, one per container in turn
    private static final List<String> COLOURS = List.of("\033[37m", "\033[31m", "\033[33m", "\033[34m", "\033[35m",
            "\033[32m");

    @Option(names = {"-c", "--container"}, description = "Filter logs by container name or id which belongs to pod")
    String container;
    @Option(names = "--color", description = "Output the containers with different colors in the log.")
    boolean color;
    @Option(names = {"-n", "--names"}, description = "Output container names instead of container IDs in the log")
    boolean names;
    @Mixin
    LogFlags flags = new LogFlags();
    @Parameters(arity = "1", paramLabel = "POD")
    String pod;

    private record Member(String id, String name) {
    }

    @Override
    int run() throws Exception {
        JsonNode p = api().get("pods/" + Api.seg(pod) + "/json", null);
        String infra = p.path("InfraContainerID").asText("");
        List<Member> members = new ArrayList<>();
        for (JsonNode c : p.path("Containers")) {
            String id = c.path("Id").asText();
            if (!id.equals(infra)) {
                members.add(new Member(id, c.path("Name").asText()));
            }
        }
        if (container != null) {
            Member chosen = members.stream().filter(m -> m.id().startsWith(container) || m.name().equals(container))
                    .findFirst().orElseThrow(() -> new ApiException(404, "container " + container + " is not in pod "
                            + pod + ": no such container"));
            members = List.of(chosen);
        }
        Map<String, Object> q = flags.query();
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        if (!flags.follow || members.size() < 2) {
            for (int i = 0; i < members.size(); i++) {
                copy(members.get(i), i, container == null, q, err);
            }
            return 0;
        }
        ExecutorService readers = Executors.newFixedThreadPool(members.size());
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                int index = i;
                all.add(readers.submit(() -> {
                    copy(m, index, true, q, err);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) {
                        throw x;
                    }
                    throw e;
                }
            }
        } finally {
            readers.shutdownNow();
        }
        return 0;
    }

    private void copy(Member m, int index, boolean prefixed, Map<String, Object> q, OutputStream err)
            throws IOException {
        String prefix = prefixed ? (names ? m.name() : m.id().substring(0, Math.min(12, m.id().length()))) + " " : "";
        String colour = color ? COLOURS.get(index % COLOURS.size()) : null;
        try (InputStream in = api().stream(HttpMethod.GET, "containers/" + Api.seg(m.id()) + "/logs", q);
                LineLeader o = new LineLeader(out, prefix, colour);
                LineLeader e = new LineLeader(err, prefix, colour)) {
            BufferedInputStream b = new BufferedInputStream(in);
            b.mark(1);
            int first = b.read();
            if (first < 0) {
                return;
            }
            b.reset();
            if (first <= 3) {
                Frames.demux(b, o, e);
            } else {
                Frames.raw(b, o);
            }
        }
    }

    /** Writes whole lines to a shared stream, each led by the container's name or ID (and colour). */
    private static final class LineLeader extends OutputStream {
        private final OutputStream target;
        private final byte[] prefix;
        private final String colour;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineLeader(OutputStream target, String prefix, String colour) {
            this.target = target;
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
            this.colour = colour;
        }

        @Override
        public void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void emit() throws IOException {
            byte[] text = line.toByteArray();
            line.reset();
            int end = text.length > 0 && text[text.length - 1] == '\n' ? text.length - 1 : text.length;
            ByteArrayOutputStream whole = new ByteArrayOutputStream(text.length + prefix.length + 16);
            if (colour != null) {
                whole.writeBytes(colour.getBytes(StandardCharsets.US_ASCII));
            }
            whole.writeBytes(prefix);
            whole.write(text, 0, end);
            if (colour != null) {
                whole.writeBytes("\033[0m".getBytes(StandardCharsets.US_ASCII));
            }
            whole.write('\n');
            // one write per line: the containers' lines never mix inside one
            synchronized (target) {
                target.write(whole.toByteArray());
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (line.size() > 0) {
                emit();
            }
        }
    }
}
