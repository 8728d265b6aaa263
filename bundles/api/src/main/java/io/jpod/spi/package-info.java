/** What every provider kind shares: the provider name property and the context a provider opens with. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.jpod.spi;
