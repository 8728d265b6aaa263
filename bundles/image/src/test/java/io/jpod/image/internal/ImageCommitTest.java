package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.CommitRequest;
import io.jpod.api.ErrorCode;
import io.jpod.api.HistoryEntry;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageHistory;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.Rule;
import org.junit.Test;

/** commit on a real vfs storage: a container's layer, as the storage writes it, stored on its image. */
public class ImageCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public final VfsImages vfs = new VfsImages("jpod-commit-test");

    private ImageInfo base() {
        return vfs.images.importRootfs(new ByteArrayInputStream(Busybox.rootfs()), "localhost/base:latest",
                List.of("CMD /bin/sh", "ENV A=1", "HEALTHCHECK CMD true"));
    }

    /** A container of {@code image} with /added written and /bin/ls deleted; its layer tar. */
    private Path changedLayer(ImageInfo image, String ctr) throws IOException {
        vfs.storage.createContainer(ctr, image.id());
        Path root = vfs.storage.mount(ctr);
        Files.writeString(root.resolve("added"), "from the container\n");
        Files.delete(root.resolve("bin/ls"));
        Path tar = vfs.tmp.resolve(ctr + ".tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            vfs.storage.writeLayer(ctr, out);
        }
        vfs.storage.unmount(ctr, false);
        return tar;
    }

    private JsonNode config(ImageInfo i) throws IOException {
        return JSON.readTree(vfs.storage.imageBigData(i.id(), ImageCatalog.KEY_CONFIG));
    }

    @Test
    public void aCommitIsTheParentsLayersAndTheContainersWithItsConfigAndHistory() throws IOException {
        ImageInfo base = base();
        Path tar = changedLayer(base, "c1");
        Instant when = Instant.parse("2026-01-02T03:04:05Z");
        ImageConfig cfg = new ImageConfig(List.of("A=1", "B=2"), List.of("/bin/echo", "hi"), List.of(), "/tmp",
                "root", List.of("8080/tcp"), List.of(), Map.of("k", "v"), "SIGINT");
        ImageInfo img = vfs.images.commit(new CommitRequest(base.id(), tar, cfg, List.of("ENV C=3", "ONBUILD RUN true"),
                new HistoryEntry(when, "/bin/sh -c echo", "me <me@example.com>", "a message", false),
                "committed:v1", "docker"));

        assertEquals(List.of("localhost/committed:v1"), img.names());
        assertEquals(2, img.layers().size());
        assertEquals(base.layers().get(0), img.layers().get(0));
        assertEquals("sha256:" + Digests.sha256(Files.readAllBytes(tar)), img.layers().get(1));
        assertEquals(List.of("/bin/echo", "hi"), img.config().cmd());
        assertEquals(List.of("A=1", "B=2", "C=3"), img.config().env());
        assertEquals("/tmp", img.config().workingDir());
        assertEquals(List.of("8080/tcp"), img.config().exposedPorts());
        assertEquals("v", img.config().labels().get("k"));
        JsonNode c = config(img);
        assertEquals("me <me@example.com>", c.path("author").asText());
        assertEquals("RUN true", c.path("config").path("OnBuild").get(0).asText());
        assertTrue("the parent's healthcheck stays in the docker format", c.path("config").has("Healthcheck"));
        assertEquals(2, c.path("history").size());
        assertEquals(when.toString(), c.path("created").asText());

        List<ImageHistory> h = vfs.images.history("committed:v1");
        assertEquals(2, h.size());
        assertEquals(img.id(), h.get(0).id());
        assertEquals(List.of("localhost/committed:v1"), h.get(0).tags());
        assertEquals("/bin/sh -c echo", h.get(0).entry().createdBy());
        assertEquals("a message", h.get(0).entry().comment());
        assertEquals(Files.size(tar), h.get(0).size());
        assertEquals(ImageHistories.MISSING, h.get(1).id());
        assertEquals(base.size(), h.get(1).size());

        // a container of the new image has the change, and the deleted file stays deleted
        vfs.storage.createContainer("c2", img.id());
        Path root = vfs.storage.mount("c2");
        assertEquals("from the container\n", Files.readString(root.resolve("added")));
        assertFalse(Files.exists(root.resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(root.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS));
        vfs.storage.unmount("c2", false);
    }

    @Test
    public void aStepWithoutALayerAddsAnEmptyLayerEntryOnly() throws IOException {
        ImageInfo base = base();
        ImageInfo img = vfs.images.commit(new CommitRequest(base.id(), null, null, List.of("ENV D=4"),
                new HistoryEntry(null, "/bin/sh -c #(nop) ENV D=4", null, null, true), null, "oci"));
        assertEquals(base.layers(), img.layers());
        assertNotEquals(base.id(), img.id());
        assertTrue(img.config().env().contains("D=4"));
        assertEquals(List.of(), img.names());
        JsonNode c = config(img);
        assertTrue(c.path("history").get(1).path("empty_layer").asBoolean());
        assertFalse("the OCI format has no healthcheck", c.path("config").has("Healthcheck"));
        List<ImageHistory> h = vfs.images.history(img.id());
        assertEquals(0, h.get(0).size());
        assertEquals("/bin/sh -c #(nop) ENV D=4", h.get(0).entry().createdBy());
    }

    @Test
    public void aCommitFromScratchHasTheOneLayer() throws IOException {
        Path tar = vfs.tmp.resolve("one.tar");
        Files.write(tar, Busybox.tar(Map.of("hello", "world")));
        ImageInfo img = vfs.images.commit(new CommitRequest(null, tar, null, List.of("CMD [\"/hello\"]"), null,
                "scratchy", null));
        assertEquals(1, img.layers().size());
        assertEquals(List.of("/hello"), img.config().cmd());
        assertEquals(1, vfs.images.history("scratchy").size());
    }

    @Test
    public void badRequestsAreRefusedAndLeaveNothingBehind() throws IOException {
        ImageInfo base = base();
        int images = vfs.storage.images().size();
        int layers = vfs.storage.layers().size();
        JpodException e = assertThrows(JpodException.class, () -> vfs.images.commit(new CommitRequest(base.id(), null,
                null, List.of("RUN rm -rf /"), null, null, null)));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("RUN"));
        e = assertThrows(JpodException.class, () -> vfs.images.commit(new CommitRequest(base.id(), null, null,
                List.of(), null, null, "squashfs")));
        assertTrue(e.getMessage(), e.getMessage().contains("squashfs"));
        e = assertThrows(JpodException.class, () -> vfs.images.commit(new CommitRequest("nosuch", null, null,
                List.of(), null, null, null)));
        assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());

        // a layer that climbs out of the root is refused when stored, and rolled back
        Path evil = vfs.tmp.resolve("evil.tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(evil))) {
            TarArchiveEntry en = new TarArchiveEntry("../../escaped", true);
            en.setSize(1);
            t.putArchiveEntry(en);
            t.write('x');
            t.closeArchiveEntry();
        }
        assertThrows(JpodException.class, () -> vfs.images.commit(new CommitRequest(base.id(), evil, null, List.of(),
                null, "evil", null)));
        assertEquals(images, vfs.storage.images().size());
        assertEquals(layers, vfs.storage.layers().size());
        assertFalse(Files.exists(vfs.tmp.resolve("escaped")));
        assertEquals("the parent stays", base.id(), vfs.images.inspect("localhost/base:latest").id());
    }
}
