package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.jpod.api.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class StageStateTest {

    @Test
    public void theCacheTextDoesNotDependOnTheOrderLabelsAndPortsCameIn() {
        StageState a = new StageState(null, 0);
        a.labels.put("b", "2");
        a.labels.put("a", "1");
        a.exposedPorts.add("90/tcp");
        a.exposedPorts.add("80/tcp");
        StageState b = new StageState(null, 0);
        b.labels.put("a", "1");
        b.labels.put("b", "2");
        b.exposedPorts.add("80/tcp");
        b.exposedPorts.add("90/tcp");
        assertEquals(a.cacheText(), b.cacheText());
        b.user = "1000";
        assertNotEquals(a.cacheText(), b.cacheText());
    }

    @Test
    public void inheritedEnvKeepsItsOrderAndArgsFeedRunsButNotTheImage() {
        StageState s = new StageState(null, 0);
        s.inherit(new ImageConfig(List.of("PATH=/bin", "A=1"), List.of("sh"), List.of(), "/w", "u", List.of(),
                List.of(), Map.of(), null));
        s.args.put("A", "arg");
        s.args.put("B", "b");
        assertEquals("1", s.variable("A"));
        assertEquals("b", s.variable("B"));
        assertEquals(List.of("PATH=/bin", "A=1", "B=b"), s.runEnv());
        assertEquals(List.of("PATH=/bin", "A=1"), s.config().env());
    }
}
