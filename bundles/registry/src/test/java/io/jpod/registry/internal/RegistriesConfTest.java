package io.jpod.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RegistriesConfTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(String name, String text) throws IOException {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static String names(List<ImageReference> refs) {
        return refs.stream().map(ImageReference::toString).collect(Collectors.joining(" "));
    }

    private RegistriesConf load(String main) throws IOException {
        return RegistriesConf.load(List.of(write("registries.conf", main)));
    }

    @Test
    public void dropInsInOrderThenOverride() throws IOException {
        Path main = write("registries.conf", "unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
                + "[aliases]\n\"app\" = \"quay.io/org/app\"\n"
                + "[[registry]]\nlocation = \"quay.io\"\ninsecure = true\n");
        write("d/10-a.conf", "[[registry]]\nlocation = \"quay.io\"\nblocked = true\n");
        // podman's shortnames.conf style: only aliases
        write("d/000-shortnames.conf", "[aliases]\n\"busybox\" = \"docker.io/library/busybox\"\n"
                + "\"app\" = \"docker.io/wrong/app\"\n");
        write("d/ignored.txt", "not = toml = at all");
        Path override = write("jpod.conf", "short-name-mode = \"enforcing\"\n");
        List<Path> files = RegistriesConf.files(main, tmp.getRoot().toPath().resolve("d"), override);
        assertEquals(List.of("registries.conf", "000-shortnames.conf", "10-a.conf", "jpod.conf"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        RegistriesConf c = RegistriesConf.load(files);
        assertEquals(List.of("quay.io", "docker.io"), c.unqualifiedSearchRegistries());
        assertEquals(RegistriesConf.ShortNameMode.ENFORCING, c.shortNameMode());
        // the main file's alias is replaced by the later drop-in (same key)
        assertEquals("docker.io/wrong/app", c.aliases().get("app"));
        // the drop-in's [[registry]] with the same prefix replaces the main file's
        assertEquals(1, c.registries().size());
        assertTrue(c.registries().get(0).blocked());
        assertFalse(c.registries().get(0).insecure());
    }

    @Test
    public void shortNames() throws IOException {
        RegistriesConf c = load("unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
                + "[aliases]\n\"busybox\" = \"docker.io/library/busybox\"\n");
        assertEquals("docker.io/library/busybox:latest", names(c.candidates("busybox")));
        assertEquals("docker.io/library/busybox:1.36", names(c.candidates("busybox:1.36")));
        assertEquals("quay.io/x:latest docker.io/library/x:latest", names(c.candidates("x")));
        assertEquals("quay.io/ns/x:t docker.io/ns/x:t", names(c.candidates("ns/x:t")));
        assertEquals("ghcr.io/a/b:latest", names(c.candidates("ghcr.io/a/b")));

        RegistriesConf enforcing = load("unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
                + "short-name-mode = \"enforcing\"\n[aliases]\n\"busybox\" = \"docker.io/library/busybox\"\n");
        assertEquals("docker.io/library/busybox:latest", names(enforcing.candidates("busybox")));
        try {
            enforcing.candidates("x");
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertEquals("short name \"x\" resolves to several registries (quay.io, docker.io); qualify it or add an"
                    + " alias", e.getMessage());
        }
        RegistriesConf one = load("unqualified-search-registries = [\"docker.io\"]\nshort-name-mode = \"enforcing\"\n");
        assertEquals("docker.io/library/x:latest", names(one.candidates("x")));

        RegistriesConf disabled = load("unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
                + "short-name-mode = \"disabled\"\n[aliases]\n\"busybox\" = \"registry.example/busybox\"\n");
        assertEquals("quay.io/busybox:latest docker.io/library/busybox:latest", names(disabled.candidates("busybox")));

        try {
            RegistriesConf.empty().candidates("x");
            fail();
        } catch (JpodException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no unqualified-search registries"));
        }
    }

    @Test
    public void registriesMirrorsBlockedInsecure() throws IOException {
        RegistriesConf c = load("[[registry]]\nprefix = \"example.com/foo\"\nlocation = \"internal.example:5000/bar\"\n"
                + "[[registry.mirror]]\nlocation = \"mirror-a.example/m\"\n"
                + "[[registry.mirror]]\nlocation = \"10.0.0.1:5000/m\"\ninsecure = true\n"
                + "[[registry]]\nlocation = \"example.com\"\n"
                + "[[registry]]\nlocation = \"bad.example\"\nblocked = true\n"
                + "[[registry]]\nprefix = \"*.corp.example\"\ninsecure = true\n"
                + "[[registry]]\nlocation = \"digest.example\"\nmirror-by-digest-only = true\n"
                + "[[registry.mirror]]\nlocation = \"dmirror.example\"\n");
        ImageReference ref = ReferenceParser.parse("example.com/foo/app:1");
        List<RegistriesConf.Source> s = c.pullSources(ref);
        assertEquals("mirror-a.example/m/app:1 10.0.0.1:5000/m/app:1 internal.example:5000/bar/app:1",
                s.stream().map(x -> x.ref().toString()).collect(Collectors.joining(" ")));
        assertEquals(List.of(true, true, false), s.stream().map(RegistriesConf.Source::mirror).toList());
        assertEquals(List.of(false, true, false), s.stream().map(RegistriesConf.Source::insecure).toList());
        assertEquals("internal.example:5000/bar/app:1", c.pushSource(ref).ref().toString());
        // "example.com/foobar" is not under the prefix "example.com/foo"
        assertEquals("example.com/foobar:latest",
                c.pullSources(ReferenceParser.parse("example.com/foobar")).get(0).ref().toString());
        try {
            c.pullSources(ReferenceParser.parse("bad.example/x"));
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.REGISTRY_BLOCKED, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("bad.example"));
        }
        assertTrue(c.pullSources(ReferenceParser.parse("reg.corp.example/x")).get(0).insecure());
        assertTrue(c.insecure("reg.corp.example"));
        assertEquals(1, c.pullSources(ReferenceParser.parse("digest.example/x:1")).size());
        assertEquals(2, c.pullSources(ReferenceParser.parse("digest.example/x@sha256:" + "b".repeat(64))).size());
        // Docker's rule: loopback is insecure without configuration; nothing else is
        assertTrue(c.pullSources(ReferenceParser.parse("127.0.0.1:5000/x")).get(0).insecure());
        assertTrue(c.pullSources(ReferenceParser.parse("127.1.2.3/x")).get(0).insecure());
        assertTrue(c.pullSources(ReferenceParser.parse("localhost:5000/x")).get(0).insecure());
        assertFalse(c.pullSources(ReferenceParser.parse("quay.io/x")).get(0).insecure());
        assertFalse(RegistriesConf.isLoopback("128.0.0.1:5000"));
    }

    @Test
    public void version1Tables() throws IOException {
        RegistriesConf c = load("[registries.search]\nregistries = [\"quay.io\"]\n"
                + "[registries.insecure]\nregistries = [\"old.example\"]\n"
                + "[registries.block]\nregistries = [\"evil.example\"]\n");
        assertEquals(List.of("quay.io"), c.unqualifiedSearchRegistries());
        assertTrue(c.insecure("old.example"));
        try {
            c.pushSource(ReferenceParser.parse("evil.example/x"));
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.REGISTRY_BLOCKED, e.code());
        }
    }

    @Test
    public void badFilesAreNamed() throws IOException {
        for (String text : List.of("short-name-mode = \"sometimes\"\n", "[[registry]]\ninsecure = true\n",
                "this is not toml\n", "[aliases]\n\"x\" = \"not-qualified\"\n")) {
            try {
                load(text);
                fail(text);
            } catch (JpodException e) {
                assertEquals(ErrorCode.CONFIG_INVALID, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("registries.conf"));
            }
        }
    }
}
