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

    private static EngineStatus assembled() {
        return new EngineStatus(true, Map.of(ProviderKind.STATE, "mapdb"), List.of(),
                Map.of(ProviderKind.STATE, List.of("mapdb", "memory")), List.of());
    }

    @Test
    public void everythingShownIsEscaped() {
        Container c = container("<script>alert(1)</script>", "evil\"><img src=x>", ContainerStatus.RUNNING);
        ImageInfo i = new ImageInfo("sha256:" + ID, List.of("localhost/<b>x</b>:latest"), null, null, 2_130_000, null, List.of());
        String html = new Page("1.0", assembled(), List.of(c), List.of(i), null, "done <i>", false, "t\"k", "/system/console/containers").render();
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
                null, null, false, "tok", "/system/console/containers").render();
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
        String html = new Page("1.0", s, List.of(), List.of(), null, null, false, "t", "/x").render();
        assertTrue(html.contains("<td id=\"jpod-engine-status\">assembled</td>"));
        assertTrue(html, html.contains("<td id=\"jpod-problems\">" + Html.esc(dup) + "</td>"));
    }

    @Test
    public void withoutAnEngineThePageSaysWhy() {
        EngineStatus s = new EngineStatus(false, Map.of(ProviderKind.OCI_RUNTIME, "crun"), List.of("oci-runtime:crun"),
                Map.of(ProviderKind.OCI_RUNTIME, List.of("runc")), List.of());
        String html = new Page("1.0", s, null, null, "There is no engine: " + s.message(), null, false, "t", "/x").render();
        assertTrue(html.contains("not assembled"));
        assertTrue(html.contains("<td id=\"jpod-missing\">oci-runtime:crun</td>"));
        assertTrue(html.contains("id=\"jpod-no-containers\""));
        assertTrue(html.contains("missing providers oci-runtime:crun"));
        assertFalse(html.contains("<form"));
    }

    @Test
    public void withoutAnAssembler() {
        String html = new Page("1.0", null, null, null, null, null, false, "t", "/x").render();
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
    public void exitedShowsItsCode() {
        Container c = container("a", "b", ContainerStatus.EXITED);
        c = c.withState(c.state().withExit(137, false, Instant.now()).withStatus(ContainerStatus.EXITED));
        assertEquals("exited (137)", Page.state(c));
    }
}
