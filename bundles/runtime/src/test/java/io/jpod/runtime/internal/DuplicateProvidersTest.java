package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.api.EngineStatus;
import io.jpod.api.ProviderKind;
import io.jpod.events.file.internal.FileEventerProvider;
import io.jpod.lock.file.internal.FileLockProvider;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.state.StateProvider;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.state.memory.internal.MemoryStateProvider;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A provider name registered twice shows in the assembler's status, naming both bundles, until one goes. */
public class DuplicateProvidersTest {
    private Path dir;
    private EngineAssemblerComponent assembler;
    private final List<Object> registered = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        Assume.assumeTrue("a host config would mix into the test's",
                !Files.exists(Path.of("/etc/jpod/jpod.conf")) && System.getenv("JPOD_CONF") == null);
        dir = Files.createTempDirectory("jpod-duplicates-");
        Path conf = dir.resolve("jpod.conf");
        Files.writeString(conf, StandIns.jpodConf(dir, ""));
        assembler = new EngineAssemblerComponent();
        assembler.added(ProviderKind.STATE, new MemoryStateProvider(), "memory", "jpod-state-memory [3]");
        assembler.added(ProviderKind.LOCKS, new FileLockProvider(), "file", "jpod-lock-file [4]");
        assembler.added(ProviderKind.EVENTS, new FileEventerProvider(), "file", "jpod-events-file [5]");
        assembler.added(ProviderKind.NETWORK, (NetworkProvider) c -> StandIns.standIn(NetworkBackend.class, c),
                "itest", "itest [6]");
        assembler.added(ProviderKind.STORAGE, (StorageProvider) c -> StandIns.standIn(Storage.class, c), "itest",
                "itest [7]");
        assembler.activate(context(), Map.of("jpod.conf", conf.toString()));
    }

    @After
    public void tearDown() throws IOException {
        if (assembler != null) {
            assembler.deactivate();
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Only what the assembler asks of its context: a property and registering the engine's services. */
    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getProperty" -> null;
                    case "registerService" -> {
                        // one assembly registers every service of the engine: count it once
                        if (io.jpod.api.EngineSystem.class.getName().equals(args[0])) {
                            registered.add(args[1]);
                        }
                        yield Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (r, rm, ra) -> null);
                    }
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "test bundle context";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private EngineStatus await(Predicate<EngineStatus> p) throws InterruptedException {
        assembler.awaitReconcile();
        EngineStatus s = assembler.status();
        for (int i = 0; i < 100 && !p.test(s); i++) {
            Thread.sleep(20);
            assembler.awaitReconcile();
            s = assembler.status();
        }
        assertTrue(s.message(), p.test(s));
        return s;
    }

    @Test
    public void aSecondRuntimeOfANameIsAProblemNamingBothBundlesUntilItGoes() throws Exception {
        OciRuntimeProvider first = c -> StandIns.standIn(OciRuntime.class, c);
        OciRuntimeProvider second = c -> StandIns.standIn(OciRuntime.class, c);
        assembler.added(ProviderKind.OCI_RUNTIME, first, "itest", "jpod-oci-conmon [12]");
        EngineStatus ok = await(EngineStatus::assembled);
        assertEquals(List.of(), ok.notices());
        assertEquals(1, registered.size());

        assembler.added(ProviderKind.OCI_RUNTIME, second, "itest", "vendor-x [31]");
        String expected = "oci-runtime \"itest\" is registered twice: by jpod-oci-conmon [12] (in use) and by "
                + "vendor-x [31] (ignored)";
        EngineStatus dup = await(s -> s.assembled() && !s.notices().isEmpty());
        assertEquals(List.of(expected), dup.notices());
        assertTrue(dup.message(), dup.message().startsWith("engine assembled:") && dup.message().endsWith("; " + expected));
        assertEquals("the name is listed once", List.of("itest"), dup.installed().get(ProviderKind.OCI_RUNTIME));
        assertEquals("a second provider of a name does not make the engine assemble again", 1, registered.size());

        assembler.removed(ProviderKind.OCI_RUNTIME, second);
        EngineStatus gone = await(s -> s.notices().isEmpty());
        assertTrue(gone.assembled());
        assertEquals(1, registered.size());
    }

    @Test
    public void aNameRegisteredThreeTimesWhileNotSelectedIsListedInRegistrationOrder() throws Exception {
        assembler.added(ProviderKind.OCI_RUNTIME, (OciRuntimeProvider) c -> StandIns.standIn(OciRuntime.class, c),
                "itest", "jpod-oci-conmon [12]");
        for (int i = 0; i < 3; i++) {
            StateProvider p = new MemoryStateProvider();
            assembler.added(ProviderKind.STATE, p, "mapdb", "vendor-" + i + " [" + (40 + i) + "]");
        }
        EngineStatus s = await(st -> st.assembled() && !st.notices().isEmpty());
        assertEquals(List.of("state \"mapdb\" is registered 3 times: by vendor-0 [40] (kept), by vendor-1 [41]"
                + " (ignored) and by vendor-2 [42] (ignored)"), s.notices());
    }

    @Test
    public void theFirstOfTwoGoingLeavesTheSecondInUseAndNoProblem() throws Exception {
        OciRuntimeProvider first = c -> StandIns.standIn(OciRuntime.class, c);
        OciRuntimeProvider second = c -> StandIns.standIn(OciRuntime.class, c);
        assembler.added(ProviderKind.OCI_RUNTIME, first, "itest", "jpod-oci-conmon [12]");
        assembler.added(ProviderKind.OCI_RUNTIME, second, "itest", "vendor-x [31]");
        await(s -> s.assembled() && s.notices().size() == 1);
        assembler.removed(ProviderKind.OCI_RUNTIME, first);
        EngineStatus s = await(st -> st.assembled() && st.notices().isEmpty());
        assertEquals("itest", s.selected().get(ProviderKind.OCI_RUNTIME));
        assertEquals("the engine was assembled again with the second", 2, registered.size());
    }
}
