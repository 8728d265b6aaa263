package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.NetworkAttachment;
import io.jpod.api.Networks;
import io.jpod.api.PerNetworkOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The networks service: definitions through the network backend, containers' membership through {@link Lifecycle}. */
final class NetworksService implements Networks {
    private final EngineGate gate;
    private final Parts parts;
    private final Names names;
    private final Lifecycle lifecycle;
    private final EventsService events;
    private final ContainerRemoval removal;

    NetworksService(EngineGate gate, Parts parts, Names names, Lifecycle lifecycle, EventsService events,
            ContainerRemoval removal) {
        this.gate = gate;
        this.parts = parts;
        this.names = names;
        this.lifecycle = lifecycle;
        this.events = events;
        this.removal = removal;
    }

    @Override
    public List<Network> networks() {
        return gate.call(() -> parts.networks().list());
    }

    @Override
    public Network network(String nameOrId) {
        return gate.call(() -> parts.networks().inspect(Names.requireId(nameOrId)));
    }

    @Override
    public Network createNetwork(Network spec) {
        return gate.call(() -> {
            Network n = parts.networks().create(spec);
            events.record(new Event(Event.Type.NETWORK, "create", Instant.now(), n.id(), n.name(), null, null,
                    Map.of()));
            return n;
        });
    }

    @Override
    public List<String> removeNetwork(String nameOrId, boolean force) {
        return gate.call(() -> {
            Network n = parts.networks().inspect(Names.requireId(nameOrId));
            if (n.name().equals(parts.networks().defaultNetwork())) {
                throw new JpodException(ErrorCode.INVALID_ARG, "the default network " + n.name()
                        + " cannot be removed: containers that name no network join it");
            }
            List<Container> users = parts.state().allContainers().stream().filter(c -> joins(c, n.name())).toList();
            if (!users.isEmpty() && !force) {
                throw new JpodException(ErrorCode.NETWORK_IN_USE, "network " + n.name() + " is used by container(s) "
                        + String.join(", ", users.stream().map(Container::name).toList())
                        + ": remove them first or force the removal: network is being used");
            }
            List<String> removed = new ArrayList<>();
            for (Container c : users) {
                removal.remove(c.id(), true);
                removed.add(c.id());
            }
            parts.networks().remove(n.name());
            events.record(new Event(Event.Type.NETWORK, "remove", Instant.now(), n.id(), n.name(), null, null,
                    Map.of()));
            return removed;
        });
    }

    private boolean joins(Container c, String network) {
        if (!Lifecycle.ownsNetwork(c)) {
            return false;
        }
        List<String> nets = c.config().networks();
        return nets.isEmpty() ? network.equals(parts.networks().defaultNetwork()) : nets.contains(network);
    }

    @Override
    public Container connectNetwork(String idOrName, String network, PerNetworkOptions options) {
        return gate.call(() -> {
            Network n = parts.networks().inspect(Names.requireId(network));
            PerNetworkOptions checked = options == null || options.isEmpty()
                    ? PerNetworkOptions.NONE : StaticAddresses.checkOne(n, options);
            return lifecycle.locked(names.containerId(idOrName), c -> lifecycle.connect(c, n.name(), checked));
        });
    }

    @Override
    public Container disconnectNetwork(String idOrName, String network) {
        return gate.call(() -> lifecycle.locked(names.containerId(idOrName), c -> lifecycle.disconnect(c,
                parts.networks().inspect(Names.requireId(network)).name())));
    }

    @Override
    public Map<String, List<String>> networkAddresses(String idOrName) {
        return gate.call(() -> {
            Container c = parts.state().lookupContainer(Names.requireId(idOrName));
            return Lifecycle.ownsNetwork(c) ? parts.networking().addresses(c) : Map.of();
        });
    }

    @Override
    public Map<String, NetworkAttachment> networkAttachments(String idOrName) {
        return gate.call(() -> {
            Container c = parts.state().lookupContainer(Names.requireId(idOrName));
            return Lifecycle.ownsNetwork(c) ? parts.networking().attachments(c) : Map.of();
        });
    }

    @Override
    public String defaultNetwork() {
        return gate.call(() -> parts.networks().defaultNetwork());
    }
}
