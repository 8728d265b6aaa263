/**
 * Network backends: the networks they define ({@link io.jpod.spi.network.NetworkDefinitions}) and how they
 * attach containers to them ({@link io.jpod.spi.network.ContainerNetworking}), both reached through the
 * {@link io.jpod.spi.network.NetworkBackend} a {@link io.jpod.spi.network.NetworkProvider} opens.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jpod.spi.network;
