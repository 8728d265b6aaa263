package io.jpod.linux;

import java.io.IOException;

/**
 * A system call that failed: its name, the path (or other object) it was about, the errno and its text, as
 * {@code mount /var/lib/x: No such file or directory}.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String target;
    private final int errno;

    public ErrnoException(String call, String target, int errno, String text) {
        super(call + (target == null ? "" : " " + target) + ": " + text);
        this.call = call;
        this.target = target;
        this.errno = errno;
    }

    /** The call that failed: {@code mount}, {@code lsetxattr}... */
    public String call() {
        return call;
    }

    /** What the call was about (a path, usually); null when nothing. */
    public String target() {
        return target;
    }

    /** The errno, as {@link Linux#ENOENT}. */
    public int errno() {
        return errno;
    }
}
