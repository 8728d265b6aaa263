package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ImageInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The archives against containers/image, the library podman load and save use, through Debian's skopeo
 * (skipped where skopeo is not installed).
 */
public class SkopeoInteropTest {
    @Rule
    public final VfsImages vfs = new VfsImages("jpod-image-skopeo");

    @Before
    public void setUp() {
        assumeTrue("skopeo is not installed", Files.isExecutable(Path.of("/usr/bin/skopeo")));
    }

    @Test
    public void skopeoReadsWhatWeSaveAndWeLoadWhatItWrites() throws Exception {
        ImageInfo info = vfs.images.importRootfs(new ByteArrayInputStream(Busybox.rootfs()), "busybox",
                List.of("CMD [\"echo\", \"hi\"]", "ENV A=b"));
        Path docker = vfs.tmp.resolve("docker.tar");
        Path oci = vfs.tmp.resolve("oci.tar");
        save("docker-archive", docker);
        save("oci-archive", oci);

        // skopeo reads both: the same config
        for (String src : List.of("docker-archive:" + docker, "oci-archive:" + oci)) {
            JsonNode config = new ObjectMapper().readTree(skopeo("inspect", "--config", src));
            assertEquals(src, info.layers().get(0), config.path("rootfs").path("diff_ids").get(0).asText());
            assertEquals(src, "hi", config.path("config").path("Cmd").get(1).asText());
        }
        // and writes what we load: an OCI layout directory, a docker-archive
        Path layout = vfs.tmp.resolve("layout");
        skopeo("copy", "-q", "docker-archive:" + docker, "oci:" + layout + ":busybox");
        Path back = vfs.tmp.resolve("back.tar");
        skopeo("copy", "-q", "oci-archive:" + oci, "docker-archive:" + back + ":quay.io/x/busybox:2");
        vfs.images.remove("busybox", false);

        ImageInfo fromLayout = vfs.images.loadLayout(layout).get(0);
        assertEquals(List.of("localhost/busybox:latest"), fromLayout.names());
        assertEquals(info.layers(), fromLayout.layers());
        assertEquals(info.config(), fromLayout.config());
        ImageInfo fromArchive;
        try (InputStream in = Files.newInputStream(back)) {
            fromArchive = vfs.images.load(in).get(0);
        }
        assertEquals(List.of("quay.io/x/busybox:2"), fromArchive.names());
        assertEquals(info.layers(), fromArchive.layers());
        assertEquals(info.config(), fromArchive.config());
    }

    private void save(String format, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            vfs.images.save(List.of("busybox"), format, out);
        }
    }

    private String skopeo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/skopeo", "--insecure-policy", "--tmpdir",
                vfs.tmp.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("skopeo timed out: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(cmd + ": " + text, 0, p.exitValue());
        return text;
    }
}
