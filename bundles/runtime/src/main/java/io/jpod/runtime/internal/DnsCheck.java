package io.jpod.runtime.internal;

import io.jpod.api.ContainerDns;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/**
 * A container's or pod's resolver settings: well-formed values (podman's rules for addresses and domains), and
 * only where the container writes a resolv.conf for a network of its own or the host's, as podman's client
 * refuses them with no network or another container's.
 */
final class DnsCheck {
    private DnsCheck() {
    }

    /** @param networkMode the container's mode ({@code bridge}, {@code host}, {@code none}, {@code container:<id>}...) */
    static void check(ContainerDns dns, String networkMode) {
        if (dns.isEmpty()) {
            return;
        }
        String problem = dns.problem("--dns", "--dns-search", "--dns-option");
        if (problem != null) {
            throw new JpodException(ErrorCode.INVALID_ARG, problem);
        }
        String mode = networkMode == null ? "" : networkMode;
        if (mode.equals("none") || mode.startsWith("container:")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "conflicting options: dns and the network mode: "
                    + (mode.equals("none") ? "none" : "container"));
        }
    }
}
