package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Pods;

/** The Pods page as a user reads it, and what its buttons do. */
public class PodsPageTest {
    private static final String POD = "aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff";
    private static final String INFRA = "1111111111112222222222223333333333334444444444445555555555556666";
    private static final String WEB = "7777777777778888888888889999999999990000000000001111111111112222";

    private static Container container(String id, String name, ContainerStatus s) {
        ContainerConfig cfg = ContainerConfig.builder().id(id).name(name).image("busybox").pod(POD)
                .created(Instant.parse("2026-01-02T03:04:05Z")).build();
        return new Container(cfg, ContainerState.configured().withStatus(s));
    }

    private static Pod pod(String name) {
        return new Pod(POD, name, "", 1, Map.of(), Instant.parse("2026-01-02T03:04:05Z"), INFRA);
    }

    private static PodsPage page(List<PodsPage.Entry> pods, String error) {
        return new PodsPage(pods, error, new ActionPlugin.Banner(null, false), "tok", "/system/console/pods");
    }

    @Test
    public void aRunningPodShowsItsMembersAndStopAndRemove() {
        String html = page(List.of(new PodsPage.Entry(pod("shop"), List.of(container(INFRA, "aaaaaaaaaaaa-infra",
                ContainerStatus.RUNNING), container(WEB, "web", ContainerStatus.RUNNING)))), null).render();
        assertTrue(html, html.contains("<td class=\"status\">Running</td>"));
        assertTrue(html, html.contains("aaaaaaaaaaaa-infra (running) [infra], web (running)"));
        assertTrue(html.contains("<code title=\"" + POD + "\">aaaaaaaaaaaa</code>"));
        assertTrue(html.contains("value=\"stop\"") && html.contains("value=\"remove\""));
        assertFalse(html.contains("value=\"start\""));
        // removing takes the pod's containers with it: the question says so
        assertTrue(html, html.contains("Remove the pod shop and its 2 containers?"));
    }

    @Test
    public void aPodWithOneMemberDownIsDegradedAndCanBeStartedOrStopped() {
        String html = page(List.of(new PodsPage.Entry(pod("half"), List.of(container(INFRA, "i", ContainerStatus.RUNNING),
                container(WEB, "web", ContainerStatus.EXITED)))), null).render();
        assertTrue(html, html.contains("<td class=\"status\">Degraded</td>"));
        assertTrue(html.contains("value=\"start\"") && html.contains("value=\"stop\""));
    }

    @Test
    public void namesAreEscapedAndAMissingEngineIsSaid() {
        String html = page(List.of(new PodsPage.Entry(pod("<img src=x>"), List.of())), null).render();
        assertFalse(html.contains("<img"));
        assertTrue(html.contains("<td class=\"status\">Created</td>"));
        assertFalse(html.contains("No pods."));
        assertTrue(page(List.of(), null).render().contains("No pods."));
        assertTrue(page(null, null).render().contains("There is no engine"));
        assertTrue(page(null, "The pods could not be listed: closed").render().contains("closed"));
    }

    /** Pods that records what it was asked, or fails as told. */
    private static Pods pods(List<String> calls, RuntimeException failure) {
        return (Pods) Proxy.newProxyInstance(PodsPageTest.class.getClassLoader(), new Class<?>[] {Pods.class},
                (p, m, a) -> {
                    if (failure != null) {
                        throw failure;
                    }
                    calls.add(m.getName() + (a == null ? "" : " " + a[0]));
                    return switch (m.getName()) {
                        case "pod" -> pod("shop");
                        case "podContainers" -> List.of(container(INFRA, "i", ContainerStatus.RUNNING),
                                container(WEB, "web", ContainerStatus.RUNNING));
                        case "podAction" -> "stop".equals(a[1]) ? Map.of(WEB, "it did not stop") : Map.of();
                        case "pods" -> List.of(pod("shop"));
                        default -> null;
                    };
                });
    }

    @Test
    public void theButtonsActOnThePodAndSayWhatHappened() {
        PodsPlugin plugin = new PodsPlugin();
        assertTrue(plugin.act("start", "shop").message().contains("there is no engine"));
        List<String> calls = new ArrayList<>();
        plugin.bindPods(pods(calls, null));
        ActionPlugin.Outcome started = plugin.act("start", "shop");
        assertFalse(started.error());
        assertEquals("Started shop.", started.message());
        ActionPlugin.Outcome stopped = plugin.act("stop", "shop");
        assertTrue(stopped.error());
        assertEquals("Stopped shop, but not all of its containers: 777777777777 (it did not stop).", stopped.message());
        assertEquals("Removed shop and its 2 containers.", plugin.act("remove", "shop").message());
        assertTrue(calls.toString(), calls.contains("removePod shop"));
        assertTrue(plugin.act("explode", "shop").message().contains("unknown action"));
    }

    @Test
    public void aPodThatIsGoneIsAMessage() {
        PodsPlugin plugin = new PodsPlugin();
        plugin.bindPods(pods(new ArrayList<>(), JpodException.of(ErrorCode.NO_SUCH_POD, "no pod with name or ID \"shop\" found")));
        ActionPlugin.Outcome o = plugin.act("remove", "shop");
        assertTrue(o.error());
        assertTrue(o.message(), o.message().startsWith("Could not remove shop: no pod with name or ID \"shop\" found"));
    }
}
