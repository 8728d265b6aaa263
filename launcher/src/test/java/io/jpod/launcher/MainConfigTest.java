package io.jpod.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The launcher's reading of an install: etc/config.properties and etc/boot.features. */
public class MainConfigTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path home;

    @Before
    public void install() throws IOException {
        home = tmp.newFolder("jpod").toPath();
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"), """
                org.osgi.framework.storage=${jpod.home}/data/cache
                felix.fileinstall.dir=${deploy.dir}
                deploy.dir=${jpod.home}/deploy
                jpod.conf=${jpod.home}/etc/jpod.conf
                from.system=${jpod.test.sys}/x
                """);
        Files.writeString(home.resolve("etc/features.xml"), """
                <features xmlns="http://karaf.apache.org/xmlns/features/v1.6.0" name="engine">
                  <feature name="jpod-logging"><bundle start-level="1">mvn:org.slf4j/slf4j-api/1.7.36</bundle></feature>
                  <feature name="jpod-core"><bundle>mvn:io.jpod/jpod-api/1</bundle></feature>
                  <feature name="jpod"><feature>jpod-core</feature><bundle>mvn:io.jpod/jpod-state-memory/1</bundle></feature>
                </features>
                """);
        Files.writeString(home.resolve("etc/distribution-features.xml"), """
                <features xmlns="http://karaf.apache.org/xmlns/features/v1.6.0" name="dist">
                  <feature name="jpod-shell"><bundle>mvn:org.apache.felix/org.apache.felix.gogo.runtime/1.1.6</bundle></feature>
                </features>
                """);
        System.setProperty("jpod.test.sys", "/sys-value");
    }

    @After
    public void clearProperties() {
        System.clearProperty("jpod.test.sys");
        System.clearProperty("jpod.conf");
    }

    @Test
    public void substitutesHomeFileAndSystemProperties() throws Exception {
        Map<String, String> p = Main.frameworkProperties(home, true);
        assertEquals(home + "/data/cache", p.get("org.osgi.framework.storage"));
        assertEquals(home + "/deploy", p.get("felix.fileinstall.dir"));
        assertEquals(home + "/etc/jpod.conf", p.get("jpod.conf"));
        assertEquals("/sys-value/x", p.get("from.system"));
        assertEquals(home.toString(), p.get("jpod.home"));
        assertEquals("--nointeractive", p.get("gosh.args"));
    }

    @Test
    public void jpodSystemPropertiesWin() throws Exception {
        System.setProperty("jpod.conf", "/elsewhere/jpod.conf");
        Map<String, String> p = Main.frameworkProperties(home, false);
        assertEquals("/elsewhere/jpod.conf", p.get("jpod.conf"));
        assertEquals("/sys-value", p.get("jpod.test.sys"));
    }

    @Test
    public void anUnknownVariableIsALaunchError() throws Exception {
        Files.writeString(home.resolve("etc/config.properties"), "a=${no.such.property}\n");
        Main.LaunchException e = assertThrows(Main.LaunchException.class, () -> Main.frameworkProperties(home, false));
        assertTrue(e.getMessage(), e.getMessage().contains("${no.such.property} is neither a system property nor a property of the file"));
    }

    @Test
    public void bootFeaturesSpanBothFiles() throws Exception {
        Files.writeString(home.resolve("etc/boot.features"), "# comment\njpod-logging jpod-shell,\njpod  # the engine\n");
        List<String> locations = Main.bootBundles(home).stream().map(Features.FeatureBundle::location).toList();
        assertEquals(List.of("mvn:org.slf4j/slf4j-api/1.7.36", "mvn:org.apache.felix/org.apache.felix.gogo.runtime/1.1.6",
                "mvn:io.jpod/jpod-api/1", "mvn:io.jpod/jpod-state-memory/1"), locations);
    }

    @Test
    public void anUnknownBootFeatureNamesTheKnownOnes() throws Exception {
        Files.writeString(home.resolve("etc/boot.features"), "jpod jpod-nope\n");
        Main.LaunchException e = assertThrows(Main.LaunchException.class, () -> Main.bootBundles(home));
        assertTrue(e.getMessage(), e.getMessage().contains(
                "unknown feature jpod-nope; known features: jpod-logging, jpod-core, jpod, jpod-shell"));
    }
}
