package io.jpod.network.cni.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PerNetworkOptions;
import java.util.regex.Pattern;

/**
 * A container's static address and MAC address as podman's CNI backend passed them: {@code CNI_ARGS}
 * {@code IP=} (host-local) and {@code MAC=} (bridge, macvlan, tuning), with {@code IgnoreUnknown=1} so
 * that the plugins that take neither run on. Unlike the {@code ips}/{@code mac} capabilities this needs
 * nothing declared in the conflist, so networks written before (and podman's) keep working.
 */
final class CniArgs {
    static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    private CniArgs() {
    }

    /**
     * The {@code CNI_ARGS} for one network, or null when nothing static is asked.
     *
     * @throws JpodException INVALID_ARG for more than one address, or one a plugin would not parse (they
     *                       were checked at creation; this keeps {@code ;} and {@code =} out of the args)
     */
    static String of(String network, PerNetworkOptions o) {
        // aliases are names in the peers' hosts files, nothing the plugins take
        if (o == null || o.staticIps().isEmpty() && o.staticMac() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder("IgnoreUnknown=1");
        if (o.staticIps().size() > 1) {
            throw new JpodException(ErrorCode.INVALID_ARG, "network " + network + " takes one static IPv4 address, "
                    + "got " + String.join(", ", o.staticIps()));
        }
        if (!o.staticIps().isEmpty()) {
            String ip = o.staticIps().get(0);
            if (!IPV4.matcher(ip).matches()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "requested static ip " + ip + " not in any subnet on "
                        + "network " + network + ": give an IPv4 address");
            }
            sb.append(";IP=").append(ip);
        }
        if (o.staticMac() != null) {
            if (!MAC.matcher(o.staticMac()).matches()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "address " + o.staticMac() + ": invalid MAC address");
            }
            sb.append(";MAC=").append(o.staticMac().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    /** The static address {@code cniArgs} asks for, or null. */
    static String ip(String cniArgs) {
        if (cniArgs == null) {
            return null;
        }
        for (String kv : cniArgs.split(";")) {
            if (kv.startsWith("IP=")) {
                return kv.substring(3);
            }
        }
        return null;
    }
}
