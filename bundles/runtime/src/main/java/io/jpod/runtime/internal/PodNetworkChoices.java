package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PodSpec;
import java.util.List;

/**
 * What a pod asks of its infra container's network beyond ports and networks: resolver settings and a static
 * address or MAC address, refused with podman's words where they could not be kept (no infra container, the
 * network not shared, no network namespace of the pod's own), before anything of the pod is made.
 */
final class PodNetworkChoices {
    private PodNetworkChoices() {
    }

    static void check(PodSpec spec, List<String> share) {
        boolean statics = spec.networkOptions().values().stream().anyMatch(o -> !o.isEmpty());
        if (!spec.infra()) {
            if (!spec.dns().isEmpty()) {
                throw invalid("NoInfra and DNSServer are mutually exclusive pod options: invalid pod spec");
            }
            if (statics) {
                throw invalid("cannot set --ip or --mac-address without infra container: invalid argument");
            }
            return;
        }
        if (!share.contains("net") && (statics || !spec.dns().isEmpty())) {
            throw invalid("a pod's static address and DNS settings need its network shared: add net to --share");
        }
        String mode = spec.networkMode() == null || spec.networkMode().isEmpty() ? "bridge" : spec.networkMode();
        if (statics && !mode.equals("bridge")) {
            throw invalid("--ip and --mac-address can only be set when the network mode is bridge, not " + mode
                    + ": invalid argument");
        }
        if (statics && spec.networkOptions().size() > 1) {
            throw invalid("--ip and --mac-address can only be set for a single network: invalid argument");
        }
        DnsCheck.check(spec.dns(), mode);
    }

    private static JpodException invalid(String message) {
        return new JpodException(ErrorCode.INVALID_ARG, message);
    }
}
