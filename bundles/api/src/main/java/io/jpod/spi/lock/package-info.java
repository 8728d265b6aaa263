/** Lock managers: numbered locks shared by every process of the engine (libpod's lock.Manager). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jpod.spi.lock;
