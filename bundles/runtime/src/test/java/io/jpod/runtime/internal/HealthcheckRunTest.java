package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.api.Healthcheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class HealthcheckRunTest {

    @Test
    public void timeoutsAreShownAsGoShowsDurations() {
        assertEquals("30s", HealthcheckRun.goDuration(30_000_000_000L));
        assertEquals("1.5s", HealthcheckRun.goDuration(1_500_000_000L));
        assertEquals("1m30s", HealthcheckRun.goDuration(90_000_000_000L));
        assertEquals("1h0m0s", HealthcheckRun.goDuration(3_600_000_000_000L));
        assertEquals("500ms", HealthcheckRun.goDuration(500_000_000L));
        assertEquals("0s", HealthcheckRun.goDuration(0));
    }

    @Test
    public void outputIsCutAt4KiBWithDots() {
        HealthcheckRun.LimitedOutput out = new HealthcheckRun.LimitedOutput();
        byte[] chunk = "x".repeat(3000).getBytes(StandardCharsets.UTF_8);
        out.write(chunk, 0, chunk.length);
        out.write(chunk, 0, chunk.length);
        String text = out.text();
        assertEquals(HealthcheckRun.MAX_OUTPUT + 3, text.length());
        assertEquals("...", text.substring(HealthcheckRun.MAX_OUTPUT));
        HealthcheckRun.LimitedOutput small = new HealthcheckRun.LimitedOutput();
        small.write("ok\n".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertEquals("ok\n", small.text());
    }

    @Test
    public void cmdRunsAsGivenAndCmdShellThroughTheShell() {
        assertEquals(List.of("curl", "-f", "x"), new Healthcheck(List.of("CMD", "curl", "-f", "x"), 0, 0, 0, 0)
                .command());
        assertEquals(List.of("/bin/sh", "-c", "test -f /x && echo ok"), new Healthcheck(List.of("CMD-SHELL",
                "test -f /x && echo ok"), 0, 0, 0, 0).command());
        assertEquals(List.of(), Healthcheck.NONE.command());
        assertEquals(List.of("ls", "/"), new Healthcheck(List.of("ls", "/"), 0, 0, 0, 0).command());
        Healthcheck image = new Healthcheck(List.of("CMD", "true"), 5, 6, 7, 8);
        assertEquals(new Healthcheck(List.of("CMD", "true"), 1, 6, 2, 8), new Healthcheck(List.of(), 1, 0, 2, 0)
                .over(image));
    }
}
