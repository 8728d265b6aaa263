/**
 * The network part of conmon's exit command: what {@code jpod container cleanup} calls, outside OSGi, to
 * tear a container's cni networks down from the CNI result cache while the service is down. Nothing
 * else of the cni backend is public.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jpod.network.cni.cleanup;
