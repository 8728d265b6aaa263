package io.jpod.runtime.internal;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;
import java.util.List;
import org.junit.Test;

public class HealthcheckCheckTest {
    private static String refused(Healthcheck hc) {
        try {
            HealthcheckCheck.check(hc);
            fail("accepted " + hc);
            return null;
        } catch (JpodException e) {
            return e.getMessage();
        }
    }

    @Test
    public void goodHealthchecksPass() {
        HealthcheckCheck.check(null);
        HealthcheckCheck.check(Healthcheck.NONE);
        HealthcheckCheck.check(new Healthcheck(List.of("CMD", "true"), -1, 0, 0, 0, "restart"));
    }

    @Test
    public void wrongOnesAreRefusedSayingWhy() {
        assertTrue(refused(new Healthcheck(List.of("CMD"), 0, 0, 0, 0)).contains("has no command"));
        assertTrue(refused(new Healthcheck(List.of("CMD", "a\0b"), 0, 0, 0, 0)).contains("NUL"));
        assertTrue(refused(new Healthcheck(List.of("CMD", "true"), 0, -5, 0, 0)).contains("negative"));
        assertTrue(refused(new Healthcheck(List.of("CMD", "true"), 0, 0, 0, 0, "explode"))
                .contains("none, kill, restart, stop"));
    }
}
