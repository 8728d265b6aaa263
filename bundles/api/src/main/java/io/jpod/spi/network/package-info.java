/** Network backends: set up and tear down a container's network. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package io.jpod.spi.network;
