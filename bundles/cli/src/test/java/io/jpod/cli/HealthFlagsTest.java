package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Test;

/** The SpecGenerator's healthconfig from the --health-* flags, as podman 4.3's makeHealthCheckFromCli makes it. */
public class HealthFlagsTest {
    private static HealthFlags flags(String cmd) {
        HealthFlags f = new HealthFlags();
        f.cmd = cmd;
        f.interval = "30s";
        f.retries = 3;
        f.timeout = "30s";
        f.startPeriod = "0s";
        f.onFailure = "none";
        return f;
    }

    private static String spec(HealthFlags f) {
        ObjectNode s = Api.JSON.createObjectNode();
        f.apply(s);
        return s.toString();
    }

    private static String refused(HealthFlags f) {
        try {
            f.apply(Api.JSON.createObjectNode());
            fail("accepted");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    public void aCommandLineIsAShellCommandAndAJsonArrayAnArgv() {
        HealthFlags f = flags("echo hi; exit 0");
        f.retries = 2;
        assertEquals("{\"healthconfig\":{\"Test\":[\"CMD-SHELL\",\"echo hi; exit 0\"],\"Interval\":30000000000,"
                + "\"Retries\":2,\"Timeout\":30000000000,\"StartPeriod\":0}}", spec(f));
        assertTrue(spec(flags("[\"/bin/true\", \"-x\"]")).contains("\"Test\":[\"CMD\",\"/bin/true\",\"-x\"]"));
        assertTrue(spec(flags("CMD /bin/true")).contains("\"Test\":[\"CMD\",\"/bin/true\"]"));
        assertEquals("{\"healthconfig\":{\"Test\":[\"NONE\"],\"Interval\":30000000000,\"Retries\":3,"
                + "\"Timeout\":30000000000,\"StartPeriod\":0}}", spec(flags("none")));
    }

    @Test
    public void disableIntervalNoHealthcheckAndOnFailure() {
        HealthFlags f = flags("true");
        f.interval = "disable";
        f.onFailure = "restart";
        String s = spec(f);
        assertTrue(s, s.contains("\"Interval\":0"));
        assertTrue(s, s.contains("\"health_check_on_failure_action\":3"));
        HealthFlags none = flags(null);
        none.none = true;
        assertEquals("{\"healthconfig\":{\"Test\":[\"NONE\"]}}", spec(none));
        assertEquals("{}", spec(flags(null)));
    }

    @Test
    public void wrongFlagsAreRefusedAsPodmanRefusesThem() {
        HealthFlags both = flags("true");
        both.none = true;
        assertEquals("cannot specify both --no-healthcheck and --health-cmd", refused(both));
        HealthFlags retries = flags("true");
        retries.retries = 0;
        assertEquals("healthcheck-retries must be greater than 0", refused(retries));
        HealthFlags interval = flags("true");
        interval.interval = "often";
        assertEquals("invalid healthcheck-interval: time: invalid duration \"often\"", refused(interval));
        HealthFlags action = flags("true");
        action.onFailure = "explode";
        assertTrue(refused(action).contains("supported actions are none, kill, restart, stop"));
    }
}
