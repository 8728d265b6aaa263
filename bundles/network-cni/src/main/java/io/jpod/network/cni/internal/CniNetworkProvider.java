package io.jpod.network.cni.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.NetworkConfig;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code cni} network backend: runs the CNI plugins of Debian's containernetworking-plugins
 * (or any in {@code cni_plugin_dirs}) per the CNI spec, on the conflists in {@code network_config_dir}.
 */
@Component(service = NetworkProvider.class)
@JpodName("cni")
public class CniNetworkProvider implements NetworkProvider {
    /** The plugins the default network needs. */
    static final List<String> REQUIRED_PLUGINS = List.of("bridge", "host-local");

    @Override
    public NetworkBackend open(ProviderContext context) {
        NetworkConfig net = context.config() == null ? null : context.config().network();
        if (net == null) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "the cni network backend needs the [network] section"
                    + " of jpod.conf: none was given");
        }
        List<Path> dirs = new ArrayList<>();
        for (String d : net.cniPluginDirs()) {
            if (d != null && !d.isBlank()) {
                dirs.add(Path.of(d));
            }
        }
        boolean found = dirs.stream().anyMatch(d -> REQUIRED_PLUGINS.stream()
                .allMatch(p -> Files.isExecutable(d.resolve(p))));
        if (!found) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "no CNI plugin directory of cni_plugin_dirs " + dirs
                    + " has the plugins " + REQUIRED_PLUGINS + ": install Debian's containernetworking-plugins"
                    + " (apt-get install containernetworking-plugins, into /usr/lib/cni) or set"
                    + " network.cni_plugin_dirs in jpod.conf");
        }
        if (net.networkConfigDir() == null || net.networkConfigDir().isBlank()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "network.network_config_dir is not set in jpod.conf");
        }
        CniNetworkBackend backend = new CniNetworkBackend(context.name(), dirs, Path.of(net.networkConfigDir()),
                context.tmpDir().resolve("cni"), net.defaultNetwork(), net.defaultSubnet());
        backend.definitions().ensureDefaultNetwork();
        return backend;
    }
}
