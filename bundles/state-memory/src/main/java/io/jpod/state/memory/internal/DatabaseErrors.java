package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** What a state database on disk tells the user when its directory, lock file or contents fail it. */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /** The state directory {@code dir} could not be made. */
    public static JpodException cannotCreateDir(Path dir, IOException e) {
        return new JpodException(ErrorCode.INTERNAL, "cannot create the state directory " + dir + ": " + reason(e)
                + "; make it writable or set static_dir to a writable directory");
    }

    /** The lock file {@code lockFile} in {@code dir} could not be made or opened. */
    public static JpodException cannotOpenLock(Path lockFile, Path dir, IOException e) {
        return new JpodException(ErrorCode.INTERNAL, "cannot open the state database lock file " + lockFile + ": "
                + reason(e) + "; make " + dir + " writable or set static_dir to a writable directory");
    }

    /**
     * The database {@code file} could not be opened or read: a JpodException other than INTERNAL as it is, anything
     * else as possible damage, with the deepest cause's words, and what to move aside ({@code companions}, such as
     * "jpod.db.p and jpod.db.t files") to start afresh.
     */
    public static JpodException damaged(Path file, Throwable e, String companions) {
        if (e instanceof JpodException je && je.code() != ErrorCode.INTERNAL) {
            return je;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new JpodException(ErrorCode.INTERNAL, "the state database " + file + " cannot be read: " + why
                + "; it may be damaged and was left untouched: restore it from a backup, or move " + file + " and its "
                + companions + " aside to start with an empty state", e);
    }

    /** The OS's reason for a failed file operation, in its words where Java keeps them. */
    public static String reason(IOException e) {
        String why = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (why != null) {
            return why;
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists (and is not a directory)";
        }
        return e.getClass().getSimpleName();
    }
}
