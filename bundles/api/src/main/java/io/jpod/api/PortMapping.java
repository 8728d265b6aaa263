package io.jpod.api;

/**
 * A published port, as {@code -p [hostIp:]hostPort:containerPort[/protocol]} gives it.
 *
 * @param hostIp        the host address to listen on; empty for all
 * @param hostPort      the first host port
 * @param containerPort the first container port
 * @param protocol      {@code tcp} or {@code udp}
 * @param range         how many consecutive ports from the first ones (1 for one port)
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol, int range) {
    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        range = Math.max(1, range);
    }
}
