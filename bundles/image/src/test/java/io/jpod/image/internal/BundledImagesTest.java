package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BundledImagesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aPullOfTheShippedNameInItsUsualSpellingsFindsItsTarball() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        Files.writeString(etc.resolve("busybox.tar"), "x");
        for (String ref : new String[] {"busybox", "busybox:latest", "localhost/busybox", "localhost/busybox:latest",
            "docker.io/library/busybox:latest", "docker.io/busybox"}) {
            assertEquals(ref, etc.resolve("busybox.tar"), BundledImages.find(etc, ref).orElseThrow().tar());
            assertEquals(ref, "busybox", BundledImages.find(etc, ref).orElseThrow().name());
        }
    }

    @Test
    public void otherTagsNamesAndPathsFindNothing() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        Files.writeString(etc.resolve("busybox.tar"), "x");
        Files.writeString(tmp.getRoot().toPath().resolve("secret.tar"), "x");
        for (String ref : new String[] {"busybox:1.36", "alpine", "quay.io/busybox", "../secret", "..%2Fsecret",
            "busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000", "", "BUSYBOX"}) {
            assertTrue(ref, BundledImages.find(etc, ref).isEmpty());
        }
    }
}
