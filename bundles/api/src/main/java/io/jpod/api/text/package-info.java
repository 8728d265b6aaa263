/**
 * Texts the clients show as podman and docker do: {@link io.jpod.api.text.HumanDuration} for the STATUS and
 * CREATED columns, shared by the REST views, the CLI and the Web Console.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jpod.api.text;
