package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.EngineStatus;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import io.jpod.api.ImageInfo;
import io.jpod.api.PortMapping;
import io.jpod.api.ProviderKind;

public class PageTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Container container(String name, String image, ContainerStatus s) {
        ContainerConfig cfg = ContainerConfig.builder().id(ID).name(name).image(image)
                .created(Instant.parse("2026-01-02T03:04:05Z"))
                .portMappings(List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp", 1))).build();
        return new Container(cfg, ContainerState.configured().withStatus(s));
    }

    private static final Instant NOW = Instant.parse("2026-01-02T04:00:00Z");

    /** A container started 5 seconds before {@link #NOW}, with a healthcheck. */
    private static Container checked(ContainerStatus s) {
        ContainerConfig cfg = ContainerConfig.builder().id(ID).name("web").image("busybox")
                .created(Instant.parse("2026-01-02T03:04:05Z"))
                .healthcheck(new Healthcheck(List.of("CMD-SHELL", "true"), 1_000_000_000L, 0, 0, 0)).build();
        return new Container(cfg, ContainerState.configured().withStatus(s).withStarted(NOW.minusSeconds(5)));
    }

    private static String render(Container c, Map<String, HealthState> health) {
        return new Page("1.0", assembled(), List.of(c), List.of(), null, null, false, "tok", "/system/console/containers",
                health, NOW).render();
    }

    private static List<String> buttons(String html) {
        return java.util.regex.Pattern.compile("name=\"action\" value=\"([a-z]+)\"").matcher(html).results()
                .map(m -> m.group(1)).toList();
    }

    private static EngineStatus assembled() {
        return new EngineStatus(true, Map.of(ProviderKind.STATE, "mapdb"), List.of(),
                Map.of(ProviderKind.STATE, List.of("mapdb", "memory")), List.of());
    }

    @Test
    public void everythingShownIsEscaped() {
        Container c = container("<script>alert(1)</script>", "evil\"><img src=x>", ContainerStatus.RUNNING);
        ImageInfo i = new ImageInfo("sha256:" + ID, List.of("localhost/<b>x</b>:latest"), null, null, 2_130_000, null, List.of());
        String html = new Page("1.0", assembled(), List.of(c), List.of(i), null, "done <i>", false, "t\"k", "/system/console/containers", Map.of(), null).render();
        assertFalse(html.contains("<script>alert"));
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("<b>x"));
        assertFalse(html.contains("done <i>"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html.contains("value=\"t&quot;k\""));
    }

    @Test
    public void aRunningContainerHasStopAndRemoveWithTheToken() {
        String html = new Page("1.0", assembled(), List.of(container("web", "busybox", ContainerStatus.RUNNING)), List.of(),
                null, null, false, "tok", "/system/console/containers", Map.of(), null).render();
        assertTrue(html.contains("<td class=\"state\">running</td>"));
        assertTrue(html.contains("<code title=\"" + ID + "\">0123456789ab</code>"));
        assertTrue(html.contains("value=\"stop\""));
        assertFalse(html.contains("value=\"start\""));
        assertTrue(html.contains("value=\"remove\""));
        assertTrue(html.contains("name=\"token\" value=\"tok\""));
        assertTrue(html.contains("127.0.0.1:8080-&gt;80/tcp"));
        assertTrue(html.contains("2026-01-02 03:04:05 UTC"));
        assertTrue(html.contains("<td id=\"jpod-engine-status\">assembled</td>"));
    }

    @Test
    public void aProviderNameRegisteredTwiceIsShownWhileAssembled() {
        String dup = "oci-runtime \"runc\" is registered twice: by jpod-oci-conmon [12] (in use) and by vendor-x [31]"
                + " (ignored)";
        EngineStatus s = new EngineStatus(true, Map.of(ProviderKind.OCI_RUNTIME, "runc"), List.of(),
                Map.of(ProviderKind.OCI_RUNTIME, List.of("runc")), List.of(dup));
        String html = new Page("1.0", s, List.of(), List.of(), null, null, false, "t", "/x", Map.of(), null).render();
        assertTrue(html.contains("<td id=\"jpod-engine-status\">assembled</td>"));
        assertTrue(html, html.contains("<td id=\"jpod-problems\">" + Html.esc(dup) + "</td>"));
    }

    @Test
    public void withoutAnEngineThePageSaysWhy() {
        EngineStatus s = new EngineStatus(false, Map.of(ProviderKind.OCI_RUNTIME, "crun"), List.of("oci-runtime:crun"),
                Map.of(ProviderKind.OCI_RUNTIME, List.of("runc")), List.of());
        String html = new Page("1.0", s, null, null, "There is no engine: " + s.message(), null, false, "t", "/x", Map.of(), null).render();
        assertTrue(html.contains("not assembled"));
        assertTrue(html.contains("<td id=\"jpod-missing\">oci-runtime:crun</td>"));
        assertTrue(html.contains("id=\"jpod-no-containers\""));
        assertTrue(html.contains("missing providers oci-runtime:crun"));
        assertFalse(html.contains("<form"));
    }

    @Test
    public void withoutAnAssembler() {
        String html = new Page("1.0", null, null, null, null, null, false, "t", "/x", Map.of(), null).render();
        assertTrue(html.contains("no assembler"));
    }

    @Test
    public void sizesAsPodmanPrintsThem() {
        assertEquals("999 B", Page.size(999));
        assertEquals("2.13 MB", Page.size(2_130_000));
        assertEquals("21.3 MB", Page.size(21_300_000));
        assertEquals("213 MB", Page.size(213_000_000));
        assertEquals("1.00 GB", Page.size(1_000_000_000));
    }

    @Test
    public void aRunningContainerCanBeStoppedRestartedAndPausedButNotUnpaused() {
        String html = render(checked(ContainerStatus.RUNNING), Map.of());
        assertEquals(List.of("stop", "restart", "pause", "remove"), buttons(html));
        assertTrue(html.contains("<th>Status</th>"));
        assertTrue(html, html.contains("<td class=\"status\">Up 5 seconds</td>"));
    }

    @Test
    public void aPausedContainerCanBeUnpausedNotPausedAgain() {
        String html = render(checked(ContainerStatus.PAUSED), Map.of(ID, new HealthState(HealthState.HEALTHY, 0, List.of())));
        assertEquals(List.of("stop", "restart", "unpause", "remove"), buttons(html));
        assertTrue(html.contains("<td class=\"state\">paused</td>"));
        assertTrue(html, html.contains("<td class=\"status\">Paused (healthy)</td>"));
    }

    @Test
    public void aStoppedContainerCanOnlyBeStartedOrRemoved() {
        Container c = checked(ContainerStatus.EXITED);
        c = c.withState(c.state().withExit(0, false, NOW.minusSeconds(180)));
        String html = render(c, Map.of());
        assertEquals(List.of("start", "remove"), buttons(html));
        assertTrue(html, html.contains("<td class=\"status\">Exited (0) 3 minutes ago</td>"));
        assertEquals(List.of("start", "remove"), buttons(render(checked(ContainerStatus.CONFIGURED), Map.of())));
    }

    @Test
    public void theHealthFollowsTheStatusAsPodmanPsShowsIt() {
        Container c = checked(ContainerStatus.RUNNING);
        assertEquals("Up 5 seconds (healthy)", Page.status(c, new HealthState(HealthState.HEALTHY, 0, List.of()), NOW));
        assertEquals("Up 5 seconds (unhealthy)", Page.status(c, new HealthState(HealthState.UNHEALTHY, 3, List.of()), NOW));
        assertEquals("Up 5 seconds (starting)", Page.status(c, HealthState.starting(), NOW));
        // no healthcheck, or none that ran: nothing after the status
        assertEquals("Up 5 seconds", Page.status(c, null, NOW));
        assertEquals("Up 5 seconds", Page.status(c, new HealthState("", 0, List.of()), NOW));
        String html = render(c, Map.of(ID, new HealthState(HealthState.UNHEALTHY, 3, List.of())));
        assertTrue(html, html.contains("<td class=\"status\">Up 5 seconds (unhealthy)</td>"));
        // another container's health is not this one's
        html = render(c, Map.of("f" + ID.substring(1), new HealthState(HealthState.HEALTHY, 0, List.of())));
        assertTrue(html, html.contains("<td class=\"status\">Up 5 seconds</td>"));
    }

    @Test
    public void statusWordsAsPodmanPrintsThem() {
        Container c = checked(ContainerStatus.RUNNING);
        assertEquals("Created", Page.status(c.withState(c.state().withStatus(ContainerStatus.CREATED)), null, NOW));
        assertEquals("Stopping", Page.status(c.withState(c.state().withStatus(ContainerStatus.STOPPING)), null, NOW));
        assertEquals("Up About a minute", Page.status(c.withState(c.state().withStarted(NOW.minusSeconds(90))), null, NOW));
    }

    @Test
    public void exitedShowsItsCode() {
        Container c = container("a", "b", ContainerStatus.EXITED);
        c = c.withState(c.state().withExit(137, false, Instant.now()).withStatus(ContainerStatus.EXITED));
        assertEquals("exited (137)", Page.state(c));
    }
}
