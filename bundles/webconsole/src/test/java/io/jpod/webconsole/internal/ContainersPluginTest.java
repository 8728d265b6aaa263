package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerHealth;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Containers;
import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;
import io.jpod.api.ProviderKind;

public class ContainersPluginTest {

    private static ContainersPlugin plugin() {
        // the constructor only reads the bundle's version
        return new ContainersPlugin((org.osgi.framework.BundleContext) Proxy.newProxyInstance(
                ContainersPluginTest.class.getClassLoader(), new Class<?>[] {org.osgi.framework.BundleContext.class},
                (p, m, a) -> {
                    if (m.getName().equals("getBundle")) {
                        return Proxy.newProxyInstance(ContainersPluginTest.class.getClassLoader(),
                                new Class<?>[] {org.osgi.framework.Bundle.class},
                                (p2, m2, a2) -> m2.getName().equals("getVersion") ? new org.osgi.framework.Version("1.2.3") : null);
                    }
                    return null;
                }));
    }

    private static Containers engineThrowing(RuntimeException e) {
        return (Containers) Proxy.newProxyInstance(ContainersPluginTest.class.getClassLoader(), new Class<?>[] {Containers.class},
                (p, m, a) -> {
                    throw e;
                });
    }

    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Container web(ContainerStatus s, Healthcheck hc) {
        return new Container(ContainerConfig.builder().id(ID).name("web").image("busybox").healthcheck(hc).build(),
                ContainerState.configured().withStatus(s));
    }

    /** An engine whose restart, pause and unpause answer with the container in its new state, and record the call. */
    private static Containers engineRecording(List<String> calls) {
        return (Containers) Proxy.newProxyInstance(ContainersPluginTest.class.getClassLoader(), new Class<?>[] {Containers.class},
                (p, m, a) -> {
                    calls.add(m.getName() + " " + a[0] + (a.length > 1 ? " " + a[1] : ""));
                    return switch (m.getName()) {
                        case "restart", "unpause" -> web(ContainerStatus.RUNNING, null);
                        case "pause" -> web(ContainerStatus.PAUSED, null);
                        default -> throw new UnsupportedOperationException(m.getName());
                    };
                });
    }

    @Test
    public void restartPauseAndUnpauseGoToTheEngine() {
        ContainersPlugin p = plugin();
        List<String> calls = new ArrayList<>();
        p.bindEngine(engineRecording(calls));
        assertEquals(new ContainersPlugin.Outcome(false, "Restarted web."), p.act("restart", "web"));
        assertEquals(new ContainersPlugin.Outcome(false, "Paused web."), p.act("pause", "web"));
        assertEquals(new ContainersPlugin.Outcome(false, "Unpaused web."), p.act("unpause", "web"));
        // restart waits the container's own stop timeout
        assertEquals(List.of("restart web -1", "pause web", "unpause web"), calls);
    }

    @Test
    public void aRefusedPauseShowsTheEnginesMessage() {
        ContainersPlugin p = plugin();
        String refusal = "container " + ID + " is not running; only running containers can be paused (current state: "
                + "exited): container state improper";
        p.bindEngine(engineThrowing(new JpodException(ErrorCode.CTR_STATE_INVALID, refusal)));
        ContainersPlugin.Outcome o = p.act("pause", ID);
        assertTrue(o.error());
        assertEquals("Could not pause 0123456789ab: " + refusal, o.message());
        assertEquals("Could not unpause web: " + refusal, p.act("unpause", "web").message());
    }

    @Test
    public void theHealthIsAskedOnlyForContainersWithAHealthcheckThatRuns() {
        ContainersPlugin p = plugin();
        List<String> asked = new ArrayList<>();
        HealthState healthy = new HealthState(HealthState.HEALTHY, 0, List.of());
        ContainerHealth service = new ContainerHealth() {
            @Override
            public Optional<HealthState> health(String idOrName) {
                asked.add(idOrName);
                if (idOrName.startsWith("gone")) {
                    throw JpodException.of(ErrorCode.NO_SUCH_CTR, "no container " + idOrName);
                }
                return idOrName.startsWith("never") ? Optional.empty() : Optional.of(healthy);
            }

            @Override
            public HealthState run(String idOrName) {
                throw new UnsupportedOperationException();
            }
        };
        p.bindHealth(service);
        Healthcheck check = new Healthcheck(List.of("CMD", "true"), 0, 0, 0, 0);
        List<Container> list = List.of(web(ContainerStatus.RUNNING, check),
                withId("none", web(ContainerStatus.RUNNING, null)),
                withId("disabled", web(ContainerStatus.RUNNING, Healthcheck.NONE)),
                withId("gone", web(ContainerStatus.RUNNING, check)),
                withId("never", web(ContainerStatus.RUNNING, check)));
        assertEquals(Map.of(ID, healthy), p.health(list));
        assertEquals(List.of(ID, "gone", "never"), asked);
        // without the service (the engine taken down) the page shows no health
        p.unbindHealth(service);
        assertEquals(Map.of(), p.health(list));
    }

    private static Container withId(String id, Container c) {
        return c.withConfig(c.config().toBuilder().id(id).build());
    }

    @Test
    public void withoutAnEngineTheActionSaysWhy() {
        ContainersPlugin p = plugin();
        EngineStatus s = new EngineStatus(false, Map.of(ProviderKind.OCI_RUNTIME, "crun"), List.of("oci-runtime:crun"),
                Map.of(), List.of());
        p.bindAssembler(new EngineAssembler() {
            @Override
            public EngineStatus status() {
                return s;
            }

            @Override
            public EngineStatus reload() {
                return s;
            }
        });
        ContainersPlugin.Outcome o = p.act("stop", "web");
        assertTrue(o.error());
        assertEquals("Could not stop web: there is no engine (" + s.message() + ").", o.message());
        p.unbindAssembler(null);
        assertTrue(p.act("start", "web").message().contains("there is no engine"));
    }

    @Test
    public void aContainerThatIsGoneIsAMessage() {
        ContainersPlugin p = plugin();
        p.bindEngine(engineThrowing(JpodException.of(ErrorCode.NO_SUCH_CTR, "no container with name or ID \"web\" found")));
        ContainersPlugin.Outcome o = p.act("start", "web");
        assertTrue(o.error());
        assertEquals("Could not start web: no container with name or ID \"web\" found: no such container", o.message());
    }

    @Test
    public void anUnexpectedFailureIsAMessageToo() {
        ContainersPlugin p = plugin();
        p.bindEngine(engineThrowing(new IllegalStateException("the state database is closed")));
        ContainersPlugin.Outcome o = p.act("remove", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertTrue(o.error());
        assertEquals("Could not remove 0123456789ab: the state database is closed", o.message());
    }

    @Test
    public void anUnknownActionDoesNothing() {
        ContainersPlugin p = plugin();
        p.bindEngine(engineThrowing(new IllegalStateException("not called")));
        assertEquals("Nothing was done: unknown action \"kill\".", p.act("kill", "web").message());
    }
}
