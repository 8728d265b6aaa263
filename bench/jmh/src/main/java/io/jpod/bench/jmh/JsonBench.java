package io.jpod.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.jpod.api.Container;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON with Jackson: an inspect document in the shape of podman's/Docker's container inspect (about 3 KB), as
 * the API writes one per inspect call, and the stored form of a {@link Container} record (what the mapdb
 * backend writes and reads per save and lookup).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class JsonBench {
    private ObjectMapper mapper;
    private Map<String, Object> inspect;
    private Container container;
    private String containerJson;

    @Setup
    public void setUp() throws JsonProcessingException {
        mapper = new ObjectMapper().registerModule(new SimpleModule("instant").addSerializer(Instant.class,
                new JsonSerializer<Instant>() {
                    @Override
                    public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                        g.writeString(v.toString());
                    }
                }));
        container = Fixtures.container(42);
        containerJson = mapper.writeValueAsString(container);
        inspect = inspectDocument(container);
    }

    @Benchmark
    public byte[] encodeInspect() throws JsonProcessingException {
        return mapper.writeValueAsBytes(inspect);
    }

    @Benchmark
    public byte[] encodeContainerRecord() throws JsonProcessingException {
        return mapper.writeValueAsBytes(container);
    }

    @Benchmark
    public Map<?, ?> decodeContainerRecordTree() throws JsonProcessingException {
        return mapper.readValue(containerJson, Map.class);
    }

    static Map<String, Object> inspectDocument(Container c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Id", c.id());
        d.put("Created", "2026-11-28T19:00:00.123456789Z");
        d.put("Path", "sh");
        d.put("Args", List.of("-c", "echo hello; sleep 1"));
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("Status", "running");
        st.put("Running", true);
        st.put("Paused", false);
        st.put("Restarting", false);
        st.put("OOMKilled", false);
        st.put("Dead", false);
        st.put("Pid", 12345);
        st.put("ConmonPid", 12340);
        st.put("ExitCode", 0);
        st.put("Error", "");
        st.put("StartedAt", "2026-11-28T19:00:01.000000001Z");
        st.put("FinishedAt", "0001-01-01T00:00:00Z");
        d.put("State", st);
        d.put("Image", "294adf7be0216c8d046a295d394557e0605c586698bce0914ad6356679c84f28");
        d.put("ImageName", "localhost/busybox:latest");
        d.put("Rootfs", "");
        d.put("Pod", "");
        d.put("ResolvConfPath", "/run/jpod/containers/" + c.id() + "/userdata/resolv.conf");
        d.put("HostnamePath", "/run/jpod/containers/" + c.id() + "/userdata/hostname");
        d.put("HostsPath", "/run/jpod/containers/" + c.id() + "/userdata/hosts");
        d.put("StaticDir", "/var/lib/jpod/storage/overlay-containers/" + c.id() + "/userdata");
        d.put("OCIRuntime", "runc");
        d.put("ConmonPidFile", "/run/jpod/containers/" + c.id() + "/userdata/conmon.pid");
        d.put("Name", c.config().name());
        d.put("RestartCount", 0);
        d.put("Driver", "overlay");
        d.put("MountLabel", "");
        d.put("ProcessLabel", "");
        d.put("EffectiveCaps", List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
                "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"));
        d.put("Mounts", List.of(Map.of("Type", "bind", "Source", "/srv/data", "Destination", "/data", "Driver", "",
                "Mode", "", "Options", List.of("rbind"), "RW", true, "Propagation", "rprivate")));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Hostname", c.id().substring(0, 12));
        cfg.put("User", "");
        cfg.put("Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
                "container=jpod", "HOSTNAME=" + c.id().substring(0, 12), "HOME=/root"));
        cfg.put("Cmd", List.of("sh", "-c", "echo hello; sleep 1"));
        cfg.put("Image", "localhost/busybox:latest");
        cfg.put("WorkingDir", "/");
        cfg.put("Entrypoint", "");
        cfg.put("Labels", Map.of("jpod-bench", "1", "app", "web"));
        cfg.put("Annotations", Map.of("io.container.manager", "libpod", "org.opencontainers.image.stopSignal", "15"));
        cfg.put("StopSignal", 15);
        cfg.put("StopTimeout", 10);
        cfg.put("CreateCommand", List.of("jpod", "run", "-d", "--label", "app=web", "busybox", "sh", "-c",
                "echo hello; sleep 1"));
        cfg.put("Umask", "0022");
        d.put("Config", cfg);
        Map<String, Object> hc = new LinkedHashMap<>();
        hc.put("Binds", List.of("/srv/data:/data:rw,rprivate,rbind"));
        hc.put("NetworkMode", "bridge");
        hc.put("PortBindings", Map.of("80/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "8080"))));
        hc.put("RestartPolicy", Map.of("Name", "", "MaximumRetryCount", 0));
        hc.put("AutoRemove", false);
        hc.put("CapAdd", List.of());
        hc.put("CapDrop", List.of());
        hc.put("Dns", List.of());
        hc.put("Ulimits", List.of(Map.of("Name", "RLIMIT_NOFILE", "Soft", 1000, "Hard", 1000),
                Map.of("Name", "RLIMIT_NPROC", "Soft", 1000, "Hard", 1000)));
        hc.put("ShmSize", 65536000);
        hc.put("Memory", 0);
        hc.put("PidsLimit", 2048);
        hc.put("CgroupManager", "cgroupfs");
        d.put("HostConfig", hc);
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("SandboxKey", "/run/netns/jpod-" + c.id().substring(0, 12));
        ns.put("Ports", Map.of("80/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "8080"))));
        ns.put("Networks", Map.of("jpod", Map.of("NetworkID", "jpod", "Gateway", "10.90.0.1", "IPAddress",
                "10.90.0.7", "IPPrefixLen", 16, "MacAddress", "6a:1f:33:0c:9e:41", "Aliases",
                List.of(c.id().substring(0, 12)))));
        d.put("NetworkSettings", ns);
        d.put("Namespace", "");
        d.put("IsInfra", false);
        return d;
    }
}
