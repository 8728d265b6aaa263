package io.jpod.storage.common.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory that a container (or an image) filled, read through an open descriptor: its subdirectories
 * and files are opened relative to it with O_NOFOLLOW (Java's {@link SecureDirectoryStream}), so a name
 * swapped for a symbolic link while the tree is read leads nowhere outside it. What lstat(2) by path says
 * (modes, devices, owners, which the descriptor's view does not give) is only believed when it describes
 * the same file (device and inode) as the descriptor-relative stat.
 */
public final class SafeDir implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SafeDir.class);
    private final SecureDirectoryStream<Path> ds;
    private final Path path;
    private List<String> names;

    private SafeDir(SecureDirectoryStream<Path> ds, Path path) {
        this.ds = ds;
        this.path = path;
    }

    /** Opens {@code dir}, a path the store owns (its own directories hold no one else's links). */
    public static SafeDir open(Path dir) throws IOException {
        DirectoryStream<Path> s = Files.newDirectoryStream(dir);
        if (s instanceof SecureDirectoryStream<Path> sds) {
            return new SafeDir(sds, dir);
        }
        s.close();
        throw new FileSystemException(dir.toString(), null, "the file system cannot read a directory safely");
    }

    public Path path() {
        return path;
    }

    /** The entries' names, sorted (as a walk of Go's filepath visits them). */
    public List<String> names() {
        if (names == null) {
            List<String> out = new ArrayList<>();
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
            Collections.sort(out);
            names = Collections.unmodifiableList(out);
        }
        return names;
    }

    /**
     * lstat of an entry.
     *
     * @throws java.nio.file.NoSuchFileException when it is gone
     * @throws FileSystemException when it was replaced while it was looked at
     */
    public FileStat stat(String name) throws IOException {
        Path rel = child(name);
        FileStat st = FileStat.lstat(path.resolve(name));
        Object key = ds.getFileAttributeView(rel, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes().fileKey();
        if (key == null || !key.equals(st.fileKey())) {
            throw new FileSystemException(path.resolve(name).toString(), null, "changed while it was read");
        }
        return st;
    }

    /**
     * A subdirectory, opened without following a link.
     *
     * @throws FileSystemException when it is no longer the directory {@code st} describes
     */
    public SafeDir dir(String name, FileStat st) throws IOException {
        SafeDir d = new SafeDir(ds.newDirectoryStream(child(name), LinkOption.NOFOLLOW_LINKS), path.resolve(name));
        Object key = d.ds.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        if (key == null || !key.equals(st.fileKey())) {
            d.close();
            throw new FileSystemException(path.resolve(name).toString(), null, "changed while it was read");
        }
        return d;
    }

    /** {@link #stat}, or null (logged) when the entry went away or changed while it was looked at. */
    public FileStat find(String name) {
        try {
            return stat(name);
        } catch (IOException e) {
            LOG.warn("{} left out: {}", path.resolve(name), e.getMessage());
            return null;
        }
    }

    /** {@link #dir}, or null (logged) as {@link #find}. */
    public SafeDir enter(String name, FileStat st) {
        try {
            return dir(name, st);
        } catch (IOException e) {
            LOG.warn("{} left out: {}", path.resolve(name), e.getMessage());
            return null;
        }
    }

    /** A regular file's content, opened without following a link. */
    public InputStream open(String name) throws IOException {
        return Channels.newInputStream(ds.newByteChannel(child(name),
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
    }

    /** A symbolic link's target, checked to be the entry {@code st} describes after it was read. */
    public String readLink(String name, FileStat st) throws IOException {
        String target = Files.readSymbolicLink(path.resolve(name)).toString();
        if (!stat(name).fileKey().equals(st.fileKey())) {
            throw new FileSystemException(path.resolve(name).toString(), null, "changed while it was read");
        }
        return target;
    }

    /** An extended attribute of an entry (never of a link's target), or null when it has none. */
    public String xattr(String name, String attribute) {
        return Xattrs.getTrusted(path.resolve(name), attribute);
    }

    private static Path child(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a name in a directory: " + name);
        }
        return Path.of(name);
    }

    @Override
    public void close() throws IOException {
        ds.close();
    }
}
