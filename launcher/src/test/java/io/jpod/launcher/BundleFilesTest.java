package io.jpod.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A bundle file missing from system/ is reported and left out; the launch goes on with the others. */
public class BundleFilesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void missingFileIsReportedAndLeftOut() throws Exception {
        Path home = tmp.getRoot().toPath();
        Features.FeatureBundle present = new Features.FeatureBundle("mvn:io.jpod/jpod-api/1.0", 0);
        Features.FeatureBundle absent = new Features.FeatureBundle("mvn:io.jpod/jpod-lock-shm/1.0", 0);
        Path jar = Features.toRepositoryPath(home.resolve("system"), present.location());
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {1});

        List<String> missing = new ArrayList<>();
        Map<Features.FeatureBundle, Path> files = Main.bundleFiles(home, List.of(present, absent), missing);

        assertEquals(Map.of(present, jar), files);
        assertEquals(1, missing.size());
        assertTrue(missing.get(0), missing.get(0).contains("mvn:io.jpod/jpod-lock-shm/1.0"));
        assertTrue(missing.get(0), missing.get(0).contains("jpod-lock-shm-1.0.jar"));
    }

    @Test(expected = Main.LaunchException.class)
    public void unsupportedLocationIsALaunchError() throws Exception {
        Main.bundleFiles(tmp.getRoot().toPath(), List.of(new Features.FeatureBundle("http://example.invalid/x.jar", 0)),
                new ArrayList<>());
    }
}
