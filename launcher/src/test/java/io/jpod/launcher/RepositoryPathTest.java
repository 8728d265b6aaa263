package io.jpod.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import org.junit.Test;

public class RepositoryPathTest {
    private static final Path REPO = Path.of("/root/.m2/repository");

    private static String path(String url) {
        return Features.toRepositoryPath(REPO, url).toString();
    }

    @Test
    public void jarByDefault() {
        assertEquals("/root/.m2/repository/org/apache/felix/org.apache.felix.scr/2.2.10/org.apache.felix.scr-2.2.10.jar",
                path("mvn:org.apache.felix/org.apache.felix.scr/2.2.10"));
    }

    @Test
    public void typeAndClassifier() {
        assertEquals("/root/.m2/repository/io/jpod/jpod-features/0.1.0-SNAPSHOT/jpod-features-0.1.0-SNAPSHOT-features.xml",
                path("mvn:io.jpod/jpod-features/0.1.0-SNAPSHOT/xml/features"));
        assertEquals("/root/.m2/repository/g/a/1/a-1.tar.gz", path("mvn:g/a/1/tar.gz"));
        assertEquals("/root/.m2/repository/g/a/1/a-1-tests.jar", path("mvn:g/a/1//tests"));
    }

    @Test
    public void repositoryPrefixAndBlanksAreIgnored() {
        assertEquals("/root/.m2/repository/com/fasterxml/jackson/core/jackson-core/2.17.2/jackson-core-2.17.2.jar",
                path("  mvn:https://repo1.maven.org/maven2!com.fasterxml.jackson.core/jackson-core/2.17.2 "));
    }

    @Test
    public void relativeRoot() {
        assertEquals(Path.of("system/g/h/a/1/a-1.jar"), Features.toRepositoryPath(Path.of("system"), "mvn:g.h/a/1"));
    }

    @Test
    public void refusesWhatIsNotAMvnUrl() {
        for (String bad : new String[] {"file:/x.jar", "mvn:g/a", "mvn:g//1", "mvn:/a/1", "mvn:g/a/1/jar/c/extra", "g/a/1"}) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> path(bad));
            assertTrue(e.getMessage(), e.getMessage().startsWith(bad));
        }
    }
}
