package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.jpod.api.Containers;
import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.ErrorCode;
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
