/** Storage drivers: layers, images and container root filesystems. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package io.jpod.spi.storage;
