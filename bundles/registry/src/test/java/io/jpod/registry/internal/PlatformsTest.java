package io.jpod.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import java.util.List;
import org.junit.Test;

public class PlatformsTest {
    private static final ImageReference REF = ReferenceParser.parse("quay.io/x/y:1");

    private static Descriptor entry(String name, String os, String arch, String variant) {
        return new Descriptor(Manifests.OCI_MANIFEST, "sha256:" + name.repeat(64).substring(0, 64), 1,
                new Platform(os, arch, variant));
    }

    private static final List<Descriptor> ENTRIES = List.of(entry("a", "linux", "amd64", null),
            entry("b", "linux", "arm64", "v8"), entry("c", "linux", "arm", "v6"), entry("d", "linux", "arm", "v7"),
            entry("e", "unknown", "unknown", null), entry("f", "windows", "amd64", null));

    private static String pick(String arch, String variant) {
        return Platforms.select(REF, ENTRIES, new Platform("linux", arch, variant)).digest().substring(7, 8);
    }

    @Test
    public void choosesAsContainerdDoes() {
        assertEquals("a", pick("amd64", null));
        assertEquals("a", pick("x86_64", null));
        assertEquals("b", pick("arm64", null));
        assertEquals("b", pick("aarch64", "v8"));
        assertEquals("d", pick("arm", "v7"));
        assertEquals("d", pick("arm", null)); // arm means v7
        assertEquals("d", pick("arm", "v8")); // a v8 host runs v7 and v6: the newest
        assertEquals("c", pick("arm", "v6"));
        assertEquals(new Platform("linux", "arm64", "v8"), Platforms.normalise(new Platform("linux", "aarch64", null)));
        Platform host = Platforms.host();
        assertEquals("linux", host.os());
        assertTrue(host.toString(), !host.architecture().isEmpty());
    }

    @Test
    public void noEntrySaysWhatThereIsWithoutAttestations() {
        for (String[] want : new String[][] {{"s390x", null}, {"arm", "v5"}}) {
            try {
                Platforms.select(REF, ENTRIES, new Platform("linux", want[0], want[1]));
                fail();
            } catch (JpodException e) {
                assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("it has: linux/amd64, linux/arm64/v8, linux/arm/v6,"
                        + " linux/arm/v7, windows/amd64"));
            }
        }
    }
}
