package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Whether a call waits for an engine being assembled, or is answered 503 at once. */
public class ServicesTest {
    private static final EngineServices ENGINE = new EngineServices(stub(io.jpod.api.Containers.class),
            stub(io.jpod.api.ExecSessions.class), stub(io.jpod.api.Pods.class), stub(io.jpod.api.Volumes.class),
            stub(io.jpod.api.Networks.class), stub(io.jpod.api.Events.class), stub(io.jpod.api.EngineSystem.class),
            stub(io.jpod.api.ContainerStats.class), stub(io.jpod.api.ContainerFiles.class),
            stub(io.jpod.api.ContainerHealth.class));

    private static <T> T stub(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> null));
    }

    private static EngineAssembler assembler(List<String> problems) {
        return assembler(problems, List.of());
    }

    private static EngineAssembler assembler(List<String> problems, List<String> notices) {
        EngineStatus s = new EngineStatus(false, Map.of(), List.of(), Map.of(), problems, notices);
        return new EngineAssembler() {
            @Override
            public EngineStatus status() {
                return s;
            }

            @Override
            public EngineStatus reload() {
                return s;
            }
        };
    }

    /** An engine that turns up after a while, as one being assembled again does. */
    private static java.util.function.Supplier<EngineServices> after(long millis) {
        long at = System.currentTimeMillis() + millis;
        return () -> System.currentTimeMillis() >= at ? ENGINE : null;
    }

    @Test
    public void aDuplicateNameDoesNotKeepACallFromWaitingForTheEngine() {
        Services s = new Services(after(300), () -> null, assembler(List.of(), List.of("oci-runtime \"runc\" is"
                + " registered twice: by jpod-oci-conmon [12] (in use) and by vendor-x [31] (ignored)")));
        assertSame(ENGINE, s.engine());
    }

    @Test
    public void aRealProblemIsAnswered503AtOnceWithItsWords() {
        // were the call to wait, it would get this engine
        Services s = new Services(after(300), () -> null,
                assembler(List.of("events provider \"flaky\" failed to open: disk on fire")));
        ApiException e = assertThrows(ApiException.class, s::engine);
        assertEquals(503, e.status);
        assertTrue(e.getMessage(), e.getMessage().contains("disk on fire"));
    }
}
