/** The engine configuration: jpod.conf sections in containers.conf(5) spellings and the runtime overrides. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jpod.api.config;
