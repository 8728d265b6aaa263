package io.jpod.network.cni.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PortMapping;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Host ports a container publishes must be free: portmap's DNAT would hide whatever listens there. */
final class HostPorts {
    private HostPorts() {
    }

    static void checkFree(List<PortMapping> mappings) {
        for (PortMapping m : mappings) {
            if (m.hostPort() < 1 || m.hostPort() + m.range() - 1 > 65535 || m.containerPort() < 1
                    || m.containerPort() + m.range() - 1 > 65535) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid port mapping " + describe(m)
                        + ": ports are 1 to 65535");
            }
            if (!m.protocol().equals("tcp") && !m.protocol().equals("udp") && !m.protocol().equals("sctp")) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid protocol " + m.protocol() + " in "
                        + describe(m) + ": use tcp, udp or sctp");
            }
            for (int i = 0; i < m.range(); i++) {
                int port = m.hostPort() + i;
                String host = m.hostIp().isEmpty() ? "0.0.0.0" : m.hostIp();
                try {
                    InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(host), port);
                    if (m.protocol().equals("udp")) {
                        try (DatagramSocket s = new DatagramSocket(at)) {
                            s.getLocalPort();
                        }
                    } else if (m.protocol().equals("tcp")) {
                        try (ServerSocket s = new ServerSocket()) {
                            s.setReuseAddress(true);
                            s.bind(at);
                        }
                    }
                } catch (IOException e) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "host port " + port + "/" + m.protocol() + " on "
                            + host + " is not available (" + e.getMessage() + "): publish on another port");
                }
            }
        }
    }

    static String describe(PortMapping m) {
        return (m.hostIp().isEmpty() ? "" : m.hostIp() + ":") + m.hostPort() + ":" + m.containerPort() + "/"
                + m.protocol();
    }
}
