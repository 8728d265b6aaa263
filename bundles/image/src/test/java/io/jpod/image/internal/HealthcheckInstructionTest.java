package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;
import java.util.List;
import org.junit.Test;

/** HEALTHCHECK in --change, and the image config's Healthcheck as Docker stores it. */
public class HealthcheckInstructionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode config(String change) {
        ObjectNode c = JSON.createObjectNode();
        Changes.apply(JSON, c, List.of(change));
        return c;
    }

    private static String refused(String change) {
        try {
            config(change);
            fail("accepted " + change);
            return null;
        } catch (JpodException e) {
            return e.getMessage();
        }
    }

    @Test
    public void optionsAndShellFormBecomeDockersConfig() throws Exception {
        assertEquals(JSON.readTree("{\"Healthcheck\": {\"Test\": [\"CMD-SHELL\", \"wget -q -O- localhost || exit 1\"],"
                + " \"Interval\": 1500000000, \"Timeout\": 2000000000, \"StartPeriod\": 60000000000, \"Retries\": 4}}"),
                JSON.readTree(config("HEALTHCHECK --interval=1.5s --timeout=2s --start-period=1m --retries=4 CMD "
                        + "wget -q -O- localhost || exit 1").toString()));
        assertEquals(JSON.readTree("{\"Healthcheck\": {\"Test\": [\"CMD\", \"/bin/true\"]}}"),
                config("HEALTHCHECK CMD [\"/bin/true\"]"));
        assertEquals(JSON.readTree("{\"Healthcheck\": {\"Test\": [\"NONE\"]}}"), config("HEALTHCHECK NONE"));
    }

    @Test
    public void wrongInstructionsAreRefused() {
        assertTrue(refused("HEALTHCHECK --interval=soon CMD true").contains("--interval=soon is not a duration"));
        assertTrue(refused("HEALTHCHECK --every=1s CMD true").contains("--every"));
        assertTrue(refused("HEALTHCHECK --interval=10us CMD true").contains("shorter than 1ms"));
        assertTrue(refused("HEALTHCHECK true").contains("HEALTHCHECK [OPTIONS] CMD"));
        assertTrue(refused("HEALTHCHECK NONE true").contains("takes no command"));
        assertTrue(refused("HEALTHCHECK --retries=-1 CMD true").contains("retries"));
    }

    @Test
    public void anImagesConfigIsReadAndWhatIsOfTheWrongTypeMeansNone() throws Exception {
        assertEquals(new Healthcheck(List.of("CMD", "true"), 5_000_000_000L, 0, 2, 0), HealthcheckInstruction
                .fromConfig(JSON.readTree("{\"Test\": [\"CMD\", \"true\"], \"Interval\": 5000000000, \"Retries\": 2}")));
        assertNull(HealthcheckInstruction.fromConfig(JSON.readTree("{\"Test\": \"CMD true\"}")));
        assertNull(HealthcheckInstruction.fromConfig(JSON.readTree("{\"Test\": [\"CMD\", 1]}")));
        assertNull(HealthcheckInstruction.fromConfig(JSON.readTree("{\"Test\": [\"CMD\", \"x\"], \"Interval\": -1}")));
        assertNull(HealthcheckInstruction.fromConfig(JSON.readTree("{\"Test\": [\"CMD\", \"x\"], \"Retries\": 1.5}")));
        assertNull(HealthcheckInstruction.fromConfig(JSON.readTree("[]")));
    }
}
