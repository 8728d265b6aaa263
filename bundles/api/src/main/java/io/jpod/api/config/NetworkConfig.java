package io.jpod.api.config;

import java.util.List;

/**
 * The {@code [network]} section.
 *
 * @param networkBackend    the network provider's name ({@code network_backend})
 * @param cniPluginDirs     where CNI plugin binaries are ({@code cni_plugin_dirs})
 * @param networkConfigDir  where network definitions are written ({@code network_config_dir})
 * @param defaultNetwork    the network containers join by default ({@code default_network})
 * @param defaultSubnet     its subnet ({@code default_subnet})
 * @param defaultSubnetPools subnets new networks are taken from, as {@code base/size} ({@code default_subnet_pools})
 */
public record NetworkConfig(String networkBackend, List<String> cniPluginDirs, String networkConfigDir,
        String defaultNetwork, String defaultSubnet, List<String> defaultSubnetPools) {

    public NetworkConfig {
        cniPluginDirs = List.copyOf(cniPluginDirs);
        defaultSubnetPools = List.copyOf(defaultSubnetPools);
    }
}
