/** OCI runtimes: create, start, kill and delete containers, usually through conmon (libpod's OCIRuntime). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.6.0")
package io.jpod.spi.oci;
