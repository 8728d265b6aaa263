package io.jpod.runtime.internal;

import io.jpod.api.Container;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /etc/hosts of containers on bridge networks: localhost, the container itself, and its peers on
 * the same networks, kept current in both directions as containers come and go. The files live under
 * {@code <tmp_dir>/hosts} and are bind-mounted, so a peer's file is rewritten in place (a rename would
 * leave the container seeing the old inode).
 */
final class HostsFiles {
    private static final Logger LOG = LoggerFactory.getLogger(HostsFiles.class);
    private static final String HEADER = "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n"
            + "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n";

    private final Path dir;

    HostsFiles(Path tmpDir) {
        this.dir = tmpDir.resolve("hosts");
    }

    Path fileOf(String id) {
        return dir.resolve(id);
    }

    /**
     * One container's line: its first address, its hostname (or short ID), its network aliases and, last (lines
     * are found by it), its name.
     */
    static String line(Container c, Map<String, List<String>> addresses) {
        for (List<String> cidrs : addresses.values()) {
            if (!cidrs.isEmpty()) {
                String cidr = cidrs.get(0);
                String ip = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
                String host = c.config().hostname() == null || c.config().hostname().isEmpty()
                        ? c.id().substring(0, 12) : c.config().hostname();
                java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
                names.add(host);
                c.config().networkOptions().values().forEach(o -> names.addAll(o.aliases()));
                names.remove(c.name());
                names.add(c.name());
                return ip + "\t" + String.join(" ", names) + "\n";
            }
        }
        return null;
    }

    /**
     * Writes the container's file and adds it to each peer's.
     *
     * @param peers per running peer on one of the container's networks, its addresses
     */
    Path write(Container ctr, Map<String, List<String>> addresses, Map<Container, Map<String, List<String>>> peers)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder(HEADER);
        String own = line(ctr, addresses);
        if (own != null) {
            sb.append(own);
        }
        for (Map.Entry<Container, Map<String, List<String>>> p : peers.entrySet()) {
            String l = line(p.getKey(), p.getValue());
            if (l != null) {
                sb.append(l);
            }
            if (own != null) {
                rewrite(p.getKey().id(), lines -> {
                    lines.removeIf(x -> x.endsWith(" " + ctr.name()) || x.endsWith("\t" + ctr.name()));
                    lines.add(own.strip());
                });
            }
        }
        Path f = fileOf(ctr.id());
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    /** Removes the container's file and its line from its peers'. */
    void remove(Container ctr, List<Container> peers) {
        for (Container p : peers) {
            rewrite(p.id(), lines -> lines.removeIf(x -> x.endsWith(" " + ctr.name()) || x.endsWith("\t" + ctr.name())));
        }
        try {
            Files.deleteIfExists(fileOf(ctr.id()));
        } catch (IOException e) {
            LOG.warn("cannot remove the hosts file of {}: {}", ctr.name(), e.getMessage());
        }
    }

    /** Adds a line for {@code ctr}, which shares {@code ownerId}'s network and so its file. */
    void addLine(String ownerId, Container ctr, Map<String, List<String>> ownerAddresses) {
        String own = line(ctr, ownerAddresses);
        if (own != null) {
            rewrite(ownerId, lines -> {
                lines.removeIf(x -> x.endsWith(" " + ctr.name()) || x.endsWith("\t" + ctr.name()));
                lines.add(own.strip());
            });
        }
    }

    /** Removes {@code ctr}'s line from the file of {@code ownerId}, whose network it shared. */
    void removeLine(String ownerId, Container ctr) {
        rewrite(ownerId, lines -> lines.removeIf(x -> x.endsWith(" " + ctr.name()) || x.endsWith("\t" + ctr.name())));
    }

    private void rewrite(String id, java.util.function.Consumer<List<String>> edit) {
        Path f = fileOf(id);
        if (!Files.exists(f)) {
            return;
        }
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
            edit.accept(lines);
            // in place: the container has this inode bind-mounted
            Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot update the hosts file of container {}: {}", id, e.getMessage());
        }
    }
}
