/** State backends: where containers, pods, volumes and the DB config are stored (libpod's State). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.jpod.spi.state;
