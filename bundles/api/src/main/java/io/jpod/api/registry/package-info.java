/**
 * Image registries as the engine's clients see them: references and their normalisation, the registries
 * a short name may mean (registries.conf), manifests and blobs fetched and pushed over the distribution
 * protocol, and logins. The {@code registry} bundle registers {@link Registries}; the image store asks it
 * for what it pulls and hands it what it pushes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.jpod.api.registry;
