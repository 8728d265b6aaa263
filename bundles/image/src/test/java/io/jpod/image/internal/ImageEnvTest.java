package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;

/**
 * An image's {@code Env} entries without a value ({@code "HOME"}, not {@code "HOME=/root"}) are dropped, as docker
 * drops them: the service never fills them from its own environment, which an image must not read. Entries the
 * client gives keep podman's meaning (the compat API's bare {@code NAME} is the service's value).
 */
public class ImageEnvTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public final VfsImages vfs = new VfsImages("jpod-image-env");

    @Test
    public void anImagesEnvWithoutValuesNeverReachesTheContainer() throws IOException {
        // names the service's environment has: an image naming them must not get their values
        assertNotNull(System.getenv("PATH"));
        byte[] layer = Busybox.tar(Map.of("hello", "hi"));
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", "amd64");
        c.put("os", "linux");
        c.putObject("config").putArray("Env").add("PATH").add("A=1").add("HOME").add("=nokey").add("B=");
        c.putObject("rootfs").put("type", "layers").putArray("diff_ids").add("sha256:" + Digests.sha256(layer));
        byte[] config = JSON.writeValueAsBytes(c);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("layer.tar", layer);
        entries.put("config.json", config);
        entries.put("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"envimg:1\"],\"Layers\":[\"layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8));
        vfs.images.load(new ByteArrayInputStream(Busybox.archive(entries)));

        ContainerConfig spec = vfs.images.withImageDefaults(ContainerConfig.builder().image("envimg:1").build());
        assertEquals(List.of("A=1", "B="), spec.env());
        // what the client names is the client's to say (podman's compat API resolves a bare name later)
        spec = vfs.images.withImageDefaults(ContainerConfig.builder().image("envimg:1").env(List.of("HOME", "A=2"))
                .build());
        assertEquals(List.of("B=", "HOME", "A=2"), spec.env());
    }
}
