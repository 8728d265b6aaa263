/**
 * Reading jpod's configuration: the built-in defaults, the files {@code /usr/share/jpod/jpod.conf},
 * {@code /etc/jpod/jpod.conf} and {@code $JPOD_CONF} (TOML, in containers.conf(5) and
 * containers-storage.conf(5) spellings), and the overrides given at start.
 *
 * <p>{@link io.jpod.config.ConfigLoader} reads and validates; {@link io.jpod.config.LoadedConfig} is what it
 * gives; {@link io.jpod.config.RuntimeOptionsParser} turns component properties into overrides.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.jpod.config;
