package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.spi.network.NetworkBackend;
import java.nio.file.Path;
import java.util.List;

/**
 * The cni network backend as a whole: its networks ({@link CniDefinitions}, conflists in
 * {@code network_config_dir}) and the containers' attachments to them ({@link CniAttachments}, the
 * plugins run per the CNI spec with their results in the {@link ResultCache} under
 * {@code <tmp_dir>/cni/results}).
 */
final class CniNetworkBackend implements NetworkBackend {
    private final String name;
    private final CniDefinitions definitions;
    private final CniAttachments attachments;
    private final ResultCache cache;

    /**
     * @param pluginDirs {@code cni_plugin_dirs}
     * @param configDir  {@code network_config_dir}
     * @param cniTmpDir  {@code <tmp_dir>/cni}: the result cache and host-local's reservations
     */
    CniNetworkBackend(String name, List<Path> pluginDirs, Path configDir, Path cniTmpDir, String defaultNetwork,
            String defaultSubnet) {
        ObjectMapper json = new ObjectMapper();
        CniExec exec = new CniExec(json, pluginDirs);
        this.name = name;
        this.definitions = new CniDefinitions(json, exec, configDir, cniTmpDir, defaultNetwork, defaultSubnet);
        this.cache = new ResultCache(json, cniTmpDir);
        this.attachments = new CniAttachments(json, exec, definitions, cache);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CniDefinitions definitions() {
        return definitions;
    }

    @Override
    public CniAttachments networking() {
        return attachments;
    }

    /** Where the result of one attachment is cached. */
    Path cacheFile(String network, String id, String ifName) {
        return cache.file(network, id, ifName);
    }

    @Override
    public void close() {
        // Nothing held: every call runs the plugins and returns.
    }
}
