package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.registry.Descriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * OCI layouts the tests write themselves: an image of three small layers (gzip, uncompressed, zstd by the zstd
 * command when it is there), and an index of two platforms (linux/amd64 and linux/arm64/v8, each its own config).
 */
final class TestImages {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

    /** What was written: the manifest of tag "v1", its layers, and the index of tag "multi". */
    record Layout(Path dir, String manifestDigest, byte[] manifest, List<Descriptor> layers, String indexDigest,
            String amd64Digest, String arm64Digest) {
    }

    private final Path dir;
    private final ArrayNode refs = JSON.createArrayNode();

    private TestImages(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    private Descriptor blob(String mediaType, byte[] b) throws IOException {
        String d = Digests.sha256(b);
        Files.write(dir.resolve("blobs/sha256/" + d.substring(7)), b);
        return new Descriptor(mediaType, d, b.length, null);
    }

    private static ObjectNode desc(Descriptor d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("mediaType", d.mediaType());
        n.put("digest", d.digest());
        n.put("size", d.size());
        return n;
    }

    private static byte[] tar(Path work, String name, String content) throws IOException, InterruptedException {
        Path src = Files.createDirectories(work.resolve("src-" + name));
        Files.writeString(src.resolve(name), content);
        Path out = work.resolve(name + ".tar");
        RegistryServer.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C", src.toString(),
                "-cf", out.toString(), "."));
        return Files.readAllBytes(out);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(b);
        }
        return bo.toByteArray();
    }

    private static byte[] zstd(Path work, byte[] tar) throws IOException, InterruptedException {
        Path in = work.resolve("z.tar");
        Files.write(in, tar);
        RegistryServer.run(List.of("zstd", "-q", "-f", in.toString(), "-o", work.resolve("z.tar.zst").toString()));
        return Files.readAllBytes(work.resolve("z.tar.zst"));
    }

    private Descriptor image(String arch, String variant, List<Descriptor> layers, List<String> diffIds)
            throws IOException {
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("architecture", arch);
        cfg.put("os", "linux");
        if (variant != null) {
            cfg.put("variant", variant);
        }
        cfg.putObject("config").putArray("Cmd").add("/hello.txt");
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        Descriptor config = blob("application/vnd.oci.image.config.v1+json", JSON.writeValueAsBytes(cfg));
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", Manifests.OCI_MANIFEST);
        m.set("config", desc(config));
        ArrayNode ls = m.putArray("layers");
        layers.forEach(l -> ls.add(desc(l)));
        return blob(Manifests.OCI_MANIFEST, JSON.writeValueAsBytes(m));
    }

    private void ref(Descriptor d, String tag, ObjectNode platform) {
        ObjectNode n = desc(d);
        if (platform != null) {
            n.set("platform", platform);
        }
        n.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        refs.add(n);
    }

    private static ObjectNode platform(String arch, String variant) {
        ObjectNode p = JSON.createObjectNode();
        p.put("architecture", arch);
        p.put("os", "linux");
        if (variant != null) {
            p.put("variant", variant);
        }
        return p;
    }

    static Layout write(Path dir) throws IOException, InterruptedException {
        TestImages t = new TestImages(dir);
        Path work = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-work"));
        byte[] t1 = tar(work, "hello.txt", "hello from jpod's registry test\n");
        byte[] t2 = tar(work, "plain.txt", "an uncompressed layer\n");
        byte[] t3 = tar(work, "zstd.txt", "a zstd layer\n");
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        layers.add(t.blob(LAYER_TAR + "+gzip", gzip(t1)));
        diffIds.add(Digests.sha256(t1));
        layers.add(t.blob(LAYER_TAR, t2));
        diffIds.add(Digests.sha256(t2));
        if (Files.isExecutable(Path.of("/usr/bin/zstd"))) {
            layers.add(t.blob(LAYER_TAR + "+zstd", zstd(work, t3)));
            diffIds.add(Digests.sha256(t3));
        }
        Descriptor amd64 = t.image("amd64", null, layers, diffIds);
        t.ref(amd64, "v1", null);
        Descriptor arm64 = t.image("arm64", "v8", layers.subList(0, 1), diffIds.subList(0, 1));
        t.ref(arm64, "arm", null);
        ObjectNode idx = JSON.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", Manifests.OCI_INDEX);
        ArrayNode ms = idx.putArray("manifests");
        ObjectNode a = desc(amd64);
        a.set("platform", platform("amd64", null));
        ms.add(a);
        ObjectNode b = desc(arm64);
        b.set("platform", platform("arm64", "v8"));
        ms.add(b);
        Descriptor index = t.blob(Manifests.OCI_INDEX, JSON.writeValueAsBytes(idx));
        t.ref(index, "multi", null);
        ObjectNode top = JSON.createObjectNode();
        top.put("schemaVersion", 2);
        top.put("mediaType", Manifests.OCI_INDEX);
        top.set("manifests", t.refs);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(top));
        byte[] manifest = Files.readAllBytes(dir.resolve("blobs/sha256/" + amd64.digest().substring(7)));
        return new Layout(dir, amd64.digest(), manifest, layers, index.digest(), amd64.digest(), arm64.digest());
    }
}
