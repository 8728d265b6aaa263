/** Event loggers: write and read engine events (libpod's events.Eventer). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.jpod.spi.events;
