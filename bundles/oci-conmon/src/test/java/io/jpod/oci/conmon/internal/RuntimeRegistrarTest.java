package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.config.ConfigLoader;
import io.jpod.spi.ProviderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RuntimeRegistrarTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static EngineConfig engine(String runtime, Map<String, List<String>> runtimes, List<String> conmon,
            String dir) {
        EngineConfig e = ConfigLoader.defaults().engine();
        return new EngineConfig(e.cgroupManager(), conmon, e.databaseBackend(), e.eventsLogger(),
                e.eventsLogfilePath(), e.eventsLogfileMaxSize(), e.lockType(), e.numLocks(), e.namespace(), runtime,
                runtimes, dir + "/s", dir + "/r", dir + "/v", e.stopTimeout(), e.exitCommandDelay(), e.noPivotRoot(),
                e.detachKeys(), e.infraImage(), e.serviceTimeout());
    }

    private static List<String> names(EngineConfig e) {
        return RuntimeRegistrar.providers(e).stream().map(ConmonRuntimeProvider::name).toList();
    }

    @Test
    public void runcIsAProviderWhereItIsInstalled() {
        assumeTrue(ConmonRuntimeProvider.firstExecutable(RuntimeRegistrar.RUNC_PATHS).isPresent());
        List<String> names = names(ConfigLoader.defaults().engine());
        assertTrue(names.toString(), names.contains("runc"));
        if (!Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            assertFalse("crun does not work on cgroup v1", names.contains("crun"));
        }
        // even when [engine.runtimes] forgets it
        assertTrue(names(engine("", Map.of(), List.of(), "/x")).contains("runc"));
    }

    @Test
    public void configuredRuntimesAndAbsolutePaths() throws Exception {
        Path bin = tmp.newFile("my-runtime").toPath();
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path vendor = tmp.newFile("vendor-rt").toPath();
        Files.setPosixFilePermissions(vendor, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> names = names(engine(bin.toString(), Map.of("vendor", List.of("/nonexistent/vendor",
                vendor.toString()), "ghost", List.of("/nonexistent/ghost")), List.of(), tmp.getRoot().toString()));
        assertTrue(names.toString(), names.contains(bin.toString()));
        assertTrue(names.toString(), names.contains("vendor"));
        assertFalse(names.toString(), names.contains("ghost"));
    }

    @Test
    public void openFailsClearlyWithoutConmonOrBinary() throws Exception {
        String dir = tmp.getRoot().toString();
        Path bin = tmp.newFile("rt").toPath();
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        EngineConfig e = engine("", Map.of(), List.of("/nonexistent/conmon"), dir);
        JpodConfig d = ConfigLoader.defaults();
        ProviderContext ctx = new ProviderContext("rt", new JpodConfig(d.containers(), e, d.network(), d.storage()),
                new DBConfig(dir + "/s", dir + "/r", dir + "/g", dir + "/rr", "vfs", dir + "/v"), false, null);
        try {
            new ConmonRuntimeProvider("rt", List.of(bin)).open(ctx);
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.OCI_RUNTIME_UNAVAILABLE, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("conmon not found"));
        }
        try {
            new ConmonRuntimeProvider("nope", List.of(Path.of("/nonexistent/nope"))).open(ctx);
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.OCI_RUNTIME_UNAVAILABLE, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("OCI runtime \"nope\" not found"));
        }
    }

    @Test
    public void registersOneServicePerNameAndWithdrawsThem() throws Exception {
        assumeTrue(ConmonRuntimeProvider.firstExecutable(RuntimeRegistrar.RUNC_PATHS).isPresent());
        Path conf = tmp.newFile("jpod.conf").toPath();
        Path bin = tmp.newFile("rt2").toPath();
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(conf, "[engine]\nruntime = \"" + bin + "\"\n");
        List<Object> names = new ArrayList<>();
        List<Object> services = new ArrayList<>();
        int[] unregistered = {0};
        ServiceRegistration<?> reg = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, m, args) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered[0]++;
                    }
                    return null;
                });
        BundleContext ctx = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getProperty" -> "jpod.conf".equals(args[0]) ? conf.toString() : null;
                    case "registerService" -> {
                        assertEquals(io.jpod.spi.oci.OciRuntimeProvider.class, args[0]);
                        services.add(args[1]);
                        names.add(((Dictionary<?, ?>) args[2]).get(io.jpod.spi.JpodName.PROPERTY));
                        yield reg;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        RuntimeRegistrar r = new RuntimeRegistrar();
        r.activate(ctx);
        assertTrue(names.toString(), names.contains("runc"));
        assertTrue(names.toString(), names.contains(bin.toString()));
        assertEquals(names.size(), services.size());
        r.deactivate();
        assertEquals(names.size(), unregistered[0]);
    }
}
