package io.jpod.build.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sum of what a COPY or ADD takes from the build context, for the build cache: each source's name, and of
 * every file under it the relative name, type, permission bits, link target and contents; not times or owners (a
 * copy's owner is the step's {@code --chown}). The same files give the same sum, so a cached step is found without
 * its layer being written.
 */
final class SourceDigest {
    private final MessageDigest d;
    private final byte[] buf = new byte[1 << 16];

    private SourceDigest() {
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String of(List<Path> sources) throws IOException {
        SourceDigest s = new SourceDigest();
        for (Path p : sources) {
            s.text("source");
            s.text(String.valueOf(p.getFileName()));
            s.tree(p, p);
        }
        return HexFormat.of().formatHex(s.d.digest());
    }

    private void tree(Path top, Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        text(top.relativize(p).toString());
        text(Integer.toOctalString(LayerWriter.mode(a.permissions())));
        if (a.isSymbolicLink()) {
            text("link");
            text(Files.readSymbolicLink(p).toString());
        } else if (a.isDirectory()) {
            text("dir");
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.sorted().toList();
            }
            for (Path c : children) {
                tree(top, c);
            }
            text("end");
        } else if (a.isRegularFile()) {
            text("file");
            text(Long.toString(a.size()));
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    d.update(buf, 0, n);
                }
            }
        } else {
            text("other");
        }
    }

    private void text(String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
    }
}
