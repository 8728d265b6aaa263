/** The Linux system calls Java lacks (mount, mknod, xattrs, terminal size...), through jnr-ffi. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jpod.linux;
