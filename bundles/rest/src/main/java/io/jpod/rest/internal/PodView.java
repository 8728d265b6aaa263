package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerDns;
import io.jpod.api.ContainerStatus;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.Pod;
import io.jpod.api.PodStatus;
import io.jpod.api.PortMapping;
import java.util.List;

/** A pod in libpod's shapes: its inspect data and its entry of {@code pod ps}. */
final class PodView {
    /** libpod's cgroupfs parent; jpod puts no pod in a cgroup of its own yet. */
    static final String CGROUP_PARENT = "/libpod_parent";

    private final Shapes shapes;

    PodView(Shapes shapes) {
        this.shapes = shapes;
    }

    /** libpod's pod status from its containers' (define.PodState*). */
    static String status(List<Container> ctrs) {
        return PodStatus.of(ctrs);
    }

    static Container infra(Pod pod, List<Container> ctrs) {
        return ctrs.stream().filter(c -> c.id().equals(pod.infraContainerId())).findFirst().orElse(null);
    }

    /** The networks of the pod: its infra container's, the default network's name when it names none. */
    static List<String> networks(Container infra, String defaultNetwork) {
        if (infra == null) {
            return List.of();
        }
        String mode = infra.config().networkMode();
        if (mode != null && !mode.isEmpty() && !mode.equals("bridge")) {
            return List.of();
        }
        return infra.config().networks().isEmpty() ? List.of(defaultNetwork) : infra.config().networks();
    }

    ObjectNode inspect(Pod pod, List<Container> ctrs, String defaultNetwork) {
        ObjectNode o = shapes.object();
        o.put("Id", pod.id());
        o.put("Name", pod.name());
        o.put("Created", Shapes.time(pod.created()));
        o.set("CreateCommand", shapes.strings(pod.createCommand()));
        o.put("ExitPolicy", "continue");
        o.put("State", status(ctrs));
        o.put("Hostname", pod.hostname() == null ? "" : pod.hostname());
        if (!pod.labels().isEmpty()) {
            o.set("Labels", shapes.map(pod.labels()));
        }
        Container infra = infra(pod, ctrs);
        o.put("CreateCgroup", infra != null);
        o.put("CgroupParent", CGROUP_PARENT);
        if (infra != null) {
            o.put("CgroupPath", CGROUP_PARENT + "/" + pod.id());
        }
        o.put("CreateInfra", infra != null);
        if (infra != null) {
            o.put("InfraContainerID", infra.id());
            ObjectNode ic = o.putObject("InfraConfig");
            ObjectNode pb = ic.putObject("PortBindings");
            for (PortMapping m : infra.config().portMappings()) {
                for (int i = 0; i < Math.max(1, m.range()); i++) {
                    ArrayNode a = pb.withArray((m.containerPort() + i) + "/" + m.protocol());
                    a.addObject().put("HostIp", m.hostIp()).put("HostPort", Integer.toString(m.hostPort() + i));
                }
            }
            ic.put("HostNetwork", "host".equals(infra.config().networkMode()));
            List<String> nets = networks(infra, defaultNetwork);
            PerNetworkOptions statics = nets.isEmpty() ? PerNetworkOptions.NONE
                    : infra.config().networkOptions(nets.get(0));
            ic.put("StaticIP", statics.staticIps().isEmpty() ? "" : statics.staticIps().get(0));
            ic.put("StaticMAC", statics.staticMac() == null ? "" : statics.staticMac());
            ic.put("NoManageResolvConf", false);
            ContainerDns dns = infra.config().dns();
            nullOrList(ic, "DNSServer", dns.servers());
            nullOrList(ic, "DNSSearch", dns.searches());
            nullOrList(ic, "DNSOption", dns.options());
            ic.put("NoManageHosts", false);
            ic.putNull("HostAdd");
            ic.set("Networks", shapes.strings(nets));
            ic.putNull("NetworkOptions");
            ic.put("pid_ns", "private");
            ic.put("userns", "host");
            ic.put("uts_ns", "private");
            o.set("SharedNamespaces", shapes.strings(pod.sharedNamespaces()));
        }
        o.put("NumContainers", ctrs.size());
        if (!ctrs.isEmpty()) {
            ArrayNode a = o.putArray("Containers");
            for (Container c : ctrs) {
                a.addObject().put("Id", c.id()).put("Name", c.name()).put("State", state(c));
            }
        }
        return o;
    }

    /** podman 4.3 shows an unset list of InfraConfig as null. */
    private void nullOrList(ObjectNode o, String field, List<String> values) {
        if (values.isEmpty()) {
            o.putNull(field);
        } else {
            o.set(field, shapes.strings(values));
        }
    }

    ObjectNode list(Pod pod, List<Container> ctrs, String defaultNetwork) {
        ObjectNode o = shapes.object();
        o.put("Cgroup", CGROUP_PARENT);
        ArrayNode a = o.putArray("Containers");
        for (Container c : ctrs) {
            a.addObject().put("Id", c.id()).put("Names", c.name()).put("Status", state(c));
        }
        o.put("Created", Shapes.time(pod.created()));
        o.put("Id", pod.id());
        o.put("InfraId", pod.infraContainerId() == null ? "" : pod.infraContainerId());
        o.put("Name", pod.name());
        o.put("Namespace", pod.namespace());
        o.set("Networks", shapes.strings(networks(infra(pod, ctrs), defaultNetwork)));
        o.put("Status", status(ctrs));
        o.set("Labels", shapes.map(pod.labels()));
        return o;
    }

    /** A container's state word as pod inspect shows it: a configured container is {@code created}. */
    static String state(Container c) {
        ContainerStatus s = c.state().status();
        return s == ContainerStatus.CONFIGURED ? "created" : s.word();
    }
}
