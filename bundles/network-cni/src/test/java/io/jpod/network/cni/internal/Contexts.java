package io.jpod.network.cni.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.DBConfig;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.NetworkConfig;
import io.jpod.spi.ProviderContext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

final class Contexts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Contexts() {
    }

    static ProviderContext context(Path tmpDir, List<String> pluginDirs, String defaultNetwork, String subnet) {
        EngineConfig engine = new EngineConfig("cgroupfs", List.of(), "memory", "none", "", 0, "file", 64,
                "", "runc", Map.of(), tmpDir + "/static", tmpDir.toString(), tmpDir + "/volumes", 10, 5, false,
                "ctrl-p,ctrl-q", "", 5);
        NetworkConfig network = new NetworkConfig("cni", pluginDirs, tmpDir + "/net.d", defaultNetwork, subnet,
                List.of());
        return new ProviderContext("cni", new JpodConfig(null, engine, network, null), new DBConfig(tmpDir
                + "/static", tmpDir.toString(), tmpDir + "/g", tmpDir + "/r", "vfs", tmpDir + "/volumes"), false,
                null);
    }

    static Container container(List<String> networks) {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return new Container(ContainerConfig.builder().id(HexFormat.of().formatHex(id)).name("cni-test")
                .networks(networks).networkMode("bridge").build(), null);
    }
}
