package io.jpod.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.launcher.Features.FeatureBundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FeaturesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <features xmlns="http://karaf.apache.org/xmlns/features/v1.6.0" name="test-1.0">
              <feature name="logging" version="1.0">
                <bundle start-level="1">mvn:org.slf4j/slf4j-api/1.7.36</bundle>
                <bundle start-level="1">mvn:org.slf4j/slf4j-simple/1.7.36</bundle>
              </feature>
              <feature name="core" version="1.0" description="the core">
                <bundle dependency="true">mvn:org.apache.felix/org.apache.felix.scr/2.2.10</bundle>
                <bundle>  mvn:io.jpod/jpod-api/1.0
                </bundle>
                <config name="ignored">a = b</config>
              </feature>
              <feature name="a" version="1.0">
                <feature>core</feature>
                <bundle start-level="30">mvn:io.jpod/jpod-a/1.0</bundle>
                <bundle>mvn:io.jpod/jpod-shared/1.0</bundle>
              </feature>
              <feature name="b" version="1.0">
                <feature version="[1,2)">core</feature>
                <bundle>mvn:io.jpod/jpod-shared/1.0</bundle>
                <bundle>mvn:io.jpod/jpod-b/1.0</bundle>
              </feature>
              <feature name="all" version="1.0">
                <feature>a</feature>
                <feature>b</feature>
              </feature>
              <feature name="broken">
                <feature>nowhere</feature>
              </feature>
              <feature name="loop1"><feature>loop2</feature><bundle>mvn:x/one/1</bundle></feature>
              <feature name="loop2"><feature>loop1</feature><bundle>mvn:x/two/1</bundle></feature>
            </features>
            """;

    private static Features features() throws IOException {
        return Features.read(new ByteArrayInputStream(XML.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> locations(List<FeatureBundle> bundles) {
        return bundles.stream().map(FeatureBundle::location).toList();
    }

    @Test
    public void ownBundlesInOrderWithStartLevels() throws IOException {
        assertEquals(List.of(new FeatureBundle("mvn:org.slf4j/slf4j-api/1.7.36", 1),
                new FeatureBundle("mvn:org.slf4j/slf4j-simple/1.7.36", 1)), features().bundles("logging"));
    }

    @Test
    public void startLevelIsZeroWhenNotGivenAndLocationIsTrimmed() throws IOException {
        assertEquals(List.of(new FeatureBundle("mvn:org.apache.felix/org.apache.felix.scr/2.2.10", 0),
                new FeatureBundle("mvn:io.jpod/jpod-api/1.0", 0)), features().bundles("core"));
    }

    @Test
    public void nestedFeaturesComeFirst() throws IOException {
        List<FeatureBundle> a = features().bundles("a");
        assertEquals(List.of("mvn:org.apache.felix/org.apache.felix.scr/2.2.10", "mvn:io.jpod/jpod-api/1.0",
                "mvn:io.jpod/jpod-a/1.0", "mvn:io.jpod/jpod-shared/1.0"), locations(a));
        assertEquals(30, a.get(2).startLevel());
    }

    @Test
    public void eachBundleOnceAcrossNestedAndGivenFeatures() throws IOException {
        List<String> expected = List.of("mvn:org.slf4j/slf4j-api/1.7.36", "mvn:org.slf4j/slf4j-simple/1.7.36",
                "mvn:org.apache.felix/org.apache.felix.scr/2.2.10", "mvn:io.jpod/jpod-api/1.0",
                "mvn:io.jpod/jpod-a/1.0", "mvn:io.jpod/jpod-shared/1.0", "mvn:io.jpod/jpod-b/1.0");
        assertEquals(expected, locations(features().bundles("logging", "all")));
        assertEquals(expected, locations(features().bundles("logging", "all", "a", "core", "logging")));
    }

    @Test
    public void aCycleEnds() throws IOException {
        assertEquals(List.of("mvn:x/two/1", "mvn:x/one/1"), locations(features().bundles("loop1")));
    }

    @Test
    public void unknownFeatureNamesItAndTheKnownOnes() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> features().bundles("core", "jpod-nope"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unknown feature jpod-nope; known features: logging, core, a, b, all"));
    }

    @Test
    public void unknownNestedFeatureNamesItsParent() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> features().bundles("broken"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unknown feature nowhere (a dependency of feature broken); known features: logging"));
    }

    @Test
    public void withAddsTheFeaturesOfAnotherFile() throws IOException {
        Features other = Features.read(new ByteArrayInputStream("""
                <features name="dist"><feature name="shell"><feature>core</feature><bundle>mvn:g/gogo/1</bundle></feature>
                <feature name="core"><bundle>mvn:g/shadowed/1</bundle></feature></features>
                """.getBytes(StandardCharsets.UTF_8)));
        Features both = features().with(other);
        assertEquals(List.of("mvn:org.apache.felix/org.apache.felix.scr/2.2.10", "mvn:io.jpod/jpod-api/1.0", "mvn:g/gogo/1"),
                locations(both.bundles("shell")));
        assertEquals(List.of("logging", "core", "a", "b", "all", "broken", "loop1", "loop2", "shell"), both.names());
    }

    @Test
    public void readsAFile() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("features.xml");
        Files.writeString(f, XML);
        assertEquals(features().bundles("all"), Features.read(f).bundles("all"));
    }

    @Test
    public void refusesADoctype() {
        String evil = """
                <?xml version="1.0"?>
                <!DOCTYPE features [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <features><feature name="f"><bundle>&x;</bundle></feature></features>
                """;
        IOException e = assertThrows(IOException.class,
                () -> Features.read(new ByteArrayInputStream(evil.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("DOCTYPE"));
    }

    @Test
    public void refusesAnotherRootAndBadStartLevels() {
        IOException e = assertThrows(IOException.class,
                () -> Features.read(new ByteArrayInputStream("<project/>".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("its root element is <project>"));
        e = assertThrows(IOException.class, () -> Features.read(new ByteArrayInputStream(
                "<features><feature name=\"f\"><bundle start-level=\"x\">mvn:g/a/1</bundle></feature></features>"
                        .getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("start-level \"x\" is not a number"));
    }

    private static int indexOf(List<String> locations, String prefix) {
        for (int i = 0; i < locations.size(); i++) {
            if (locations.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    public void theProjectsFeaturesFileListsTheEngine() throws IOException {
        Path file = Path.of(System.getProperty("jpod.features.source", "../features/src/main/resources/features.xml"));
        org.junit.Assume.assumeTrue("features module not next to this one", Files.exists(file));
        Features f = Features.read(file);
        List<String> all = locations(f.bundles("jpod"));
        assertTrue(all.toString(), all.contains("mvn:io.jpod/jpod-runtime/${project.version}"));
        assertTrue(all.toString(), all.contains("mvn:io.jpod/jpod-lock-shm/${project.version}"));
        assertTrue(all.toString(), all.indexOf("mvn:io.jpod/jpod-api/${project.version}")
                < all.indexOf("mvn:io.jpod/jpod-state-mapdb/${project.version}"));
        // slf4j 2 and its binding, with the service loader mediator slf4j 2 needs in OSGi before them
        List<String> logging = locations(f.bundles("jpod-logging"));
        int spifly = indexOf(logging, "mvn:org.apache.aries.spifly/");
        int api = indexOf(logging, "mvn:org.slf4j/slf4j-api/");
        int binding = indexOf(logging, "mvn:org.slf4j/slf4j-simple/");
        assertTrue(logging.toString(), spifly >= 0 && api > spifly && binding > api);
        for (String name : f.names()) {
            f.bundles(name); // every nested name resolves
        }
    }
}
