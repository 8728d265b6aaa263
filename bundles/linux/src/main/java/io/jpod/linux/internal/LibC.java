package io.jpod.linux.internal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls io.jpod.linux makes; public for jnr-ffi, which implements it. Paths and names are passed as
 * NUL-terminated bytes (see {@code Linux.cstr}), so that they reach the kernel in the file system's encoding.
 * Loaded on first use only ({@link #get}): a program that never makes one of these calls never loads jnr-ffi.
 */
public interface LibC {
    int mount(@In byte[] source, @In byte[] target, @In byte[] fstype, long flags, @In byte[] data);

    int umount2(@In byte[] target, int flags);

    int mknod(@In byte[] path, int mode, long dev);

    int mkfifo(@In byte[] path, int mode);

    int chmod(@In byte[] path, int mode);

    int lchown(@In byte[] path, int uid, int gid);

    int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, @size_t long size, int flags);

    @ssize_t long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);

    int ioctl(int fd, long request, @Out byte[] arg);

    int unshare(int flags);

    int chdir(@In byte[] path);

    int open(@In byte[] path, int flags, int mode);

    int close(int fd);

    int socket(int domain, int type, int protocol);

    int connect(int fd, @In byte[] addr, int len);

    @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);

    @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

    int shutdown(int fd, int how);

    int poll(@In @Out byte[] fds, long nfds, int timeout);

    String strerror(int errnum);

    /** The loaded library and its runtime, made once, on the first call. */
    final class Holder {
        public static final LibC LIBC = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true)
                .load("c");
        private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

        private Holder() {
        }

        /** The errno of this thread's last call. */
        public static int errno() {
            return RUNTIME.getLastError();
        }
    }

    static LibC get() {
        return Holder.LIBC;
    }
}
