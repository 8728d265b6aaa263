/**
 * IPv4 addresses, CIDR subnets and address ranges, parsed and compared the one way every part of jpod uses:
 * Go's rule since 1.17 (net.ParseIP, and so podman), which refuses a leading zero in a number because other
 * tools read {@code 010} as octal 8. See {@link io.jpod.api.net.Ipv4Address#parse(String)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jpod.api.net;
