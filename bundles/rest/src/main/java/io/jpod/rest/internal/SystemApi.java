package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.EngineStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.Info;
import io.jpod.api.JpodException;
import io.jpod.api.StateMigration;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** _ping, version, info, events, system df. */
final class SystemApi {
    private final Services services;
    private final Shapes shapes;
    private final ContainerView containerView;
    private final ImageView imageView;

    SystemApi(Services services, ApiHandler handler, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
        this.containerView = new ContainerView(shapes);
        this.imageView = new ImageView(shapes);
    }

    void register(Router docker, Router libpod) {
        for (Router r : List.of(docker, libpod)) {
            r.add("GET", "/_ping", this::ping);
        }
        docker.add("GET", "/version", x -> x.json(200, version(false)));
        libpod.add("GET", "/version", x -> x.json(200, version(true)));
        docker.add("GET", "/info", this::dockerInfo);
        libpod.add("GET", "/info", this::libpodInfo);
        docker.add("GET", "/system/df", this::dockerDf);
        libpod.add("GET", "/system/df", this::dockerDf);
        // jpod's own: podman runs these in-process, jpod's CLI asks the service
        libpod.add("POST", "/system/migrate", this::migrate);
        libpod.add("POST", "/system/reload", this::reload);
        libpod.add("POST", "/system/renumber", this::renumber);
    }

    /**
     * Stops the running containers and moves every container to the named OCI runtime, if one is given; with
     * jpod's {@code new-state}, moves the state to another state provider instead (containers keep running).
     */
    private void migrate(Exchange x) throws IOException {
        String runtime = x.query("new-runtime");
        String state = x.query("new-state");
        if (state != null) {
            if (runtime != null) {
                throw new ApiException(400, "new-state and new-runtime cannot be given together: move the state"
                        + " first, then the containers' runtime");
            }
            StateMigration m = services.assembler().migrateState(state);
            ObjectNode o = shapes.object();
            o.put("From", m.from());
            o.put("To", m.to());
            o.put("Containers", m.containers());
            o.put("Pods", m.pods());
            o.put("Volumes", m.volumes());
            o.put("ExitCodes", m.exitCodes());
            o.put("ConfigFile", m.configFile());
            x.json(200, o);
            return;
        }
        int moved;
        try {
            moved = services.system().migrate(runtime);
        } catch (JpodException e) {
            if (e.code() == ErrorCode.OCI_RUNTIME_UNAVAILABLE) {
                throw new ApiException(400, e.getMessage());
            }
            throw e;
        }
        ObjectNode o = shapes.object();
        o.put("Migrated", moved);
        x.json(200, o);
    }

    /** Reallocates the lock of every container, pod and volume, as podman system renumber. */
    private void renumber(Exchange x) throws IOException {
        int renumbered = services.system().renumberLocks();
        ObjectNode o = shapes.object();
        o.put("Renumbered", renumbered);
        x.json(200, o);
    }

    /** Reads the configuration again; the engine is assembled again when it changed. */
    private void reload(Exchange x) throws IOException {
        EngineStatus s = services.assembler().reload();
        ObjectNode o = shapes.object();
        o.put("Assembled", s.assembled());
        o.put("Message", s.message());
        ObjectNode selected = o.putObject("Selected");
        s.selected().forEach((k, v) -> selected.put(k.word(), v));
        ArrayNode missing = o.putArray("Missing");
        s.missing().forEach(missing::add);
        ArrayNode problems = o.putArray("Problems");
        s.problems().forEach(problems::add);
        ArrayNode notices = o.putArray("Notices");
        s.notices().forEach(notices::add);
        x.json(200, o);
    }

    private void ping(Exchange x) throws IOException {
        x.response.getHeaders().put("Cache-Control", "no-cache, no-store, must-revalidate");
        x.response.getHeaders().put("Pragma", "no-cache");
        x.response.getHeaders().put("Builder-Version", "");
        if ("HEAD".equals(x.method())) {
            x.response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
            x.response.getHeaders().put("Content-Length", 0);
            x.empty(200);
            return;
        }
        x.text(200, "text/plain; charset=utf-8", "OK");
    }

    /** Docker's version document; podman's clients read the libpod API version from its "Podman Engine" part. */
    private ObjectNode version(boolean libpod) {
        ObjectNode o = shapes.object();
        String kernel = kernel();
        o.putObject("Platform").put("Name", "jpod " + jpodVersion());
        ArrayNode comps = o.putArray("Components");
        ObjectNode engine = libpod ? comps.addObject() : shapes.object();
        engine.put("Name", "Podman Engine");
        engine.put("Version", Versions.LIBPOD_API);
        ObjectNode d = engine.putObject("Details");
        d.put("APIVersion", Versions.LIBPOD_API);
        d.put("Arch", Shapes.goArch());
        d.put("BuildTime", "");
        d.put("Experimental", "false");
        d.put("GitCommit", "");
        d.put("GoVersion", "java" + System.getProperty("java.version"));
        d.put("KernelVersion", kernel);
        d.put("MinAPIVersion", "4.0.0");
        d.put("Os", "linux");
        ObjectNode j = comps.addObject();
        j.put("Name", "jpod");
        j.put("Version", jpodVersion());
        j.putObject("Details").put("Java", System.getProperty("java.version"));
        // Docker's clients (Testcontainers among them) check a Docker release; podman's print ours
        o.put("Version", libpod ? jpodVersion() : Versions.DOCKER_COMPAT_RELEASE);
        o.put("ApiVersion", Versions.DOCKER_API);
        o.put("MinAPIVersion", Versions.DOCKER_MIN_API);
        o.put("GitCommit", "");
        o.put("GoVersion", "java" + System.getProperty("java.version"));
        o.put("Os", "linux");
        o.put("Arch", Shapes.goArch());
        o.put("KernelVersion", kernel);
        o.put("BuildTime", "");
        return o;
    }

    static String jpodVersion() {
        String v = SystemApi.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    private static String kernel() {
        return System.getProperty("os.version");
    }

    private void dockerInfo(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Info i = e.system().info();
        Map<String, Integer> counts = i.store().containerStore();
        ObjectNode o = shapes.object();
        o.put("ID", "");
        o.put("Containers", counts.getOrDefault("number", 0));
        o.put("ContainersRunning", counts.getOrDefault("running", 0));
        o.put("ContainersPaused", counts.getOrDefault("paused", 0));
        o.put("ContainersStopped", counts.getOrDefault("stopped", 0));
        o.put("Images", i.store().imageCount());
        o.put("Driver", i.store().graphDriverName());
        o.putArray("DriverStatus");
        o.putObject("Plugins").set("Volume", shapes.strings(List.of("local")));
        o.put("MemoryLimit", true);
        o.put("SwapLimit", false);
        o.put("CpuCfsPeriod", true);
        o.put("CpuCfsQuota", true);
        o.put("CPUShares", true);
        o.put("CPUSet", true);
        o.put("PidsLimit", true);
        o.put("IPv4Forwarding", true);
        o.put("Debug", false);
        o.put("NFd", 0);
        o.put("OomKillDisable", false);
        o.put("NGoroutines", Thread.activeCount());
        o.put("SystemTime", Instant.now().toString());
        o.put("LoggingDriver", "k8s-file");
        o.put("CgroupDriver", i.host().cgroupManager());
        o.put("CgroupVersion", i.host().cgroupVersion().replace("v", ""));
        o.put("NEventsListener", 0);
        o.put("KernelVersion", i.host().kernel());
        o.put("OperatingSystem", "jpod " + i.engine().version());
        o.put("OSVersion", "");
        o.put("OSType", "linux");
        o.put("Architecture", System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"));
        o.put("IndexServerAddress", "");
        ObjectNode reg = o.putObject("RegistryConfig");
        reg.putArray("AllowNondistributableArtifactsCIDRs");
        reg.putArray("AllowNondistributableArtifactsHostnames");
        reg.putArray("InsecureRegistryCIDRs");
        reg.putObject("IndexConfigs");
        reg.putArray("Mirrors");
        o.put("NCPU", i.host().cpus());
        o.put("MemTotal", i.host().memTotal());
        o.putNull("GenericResources");
        o.put("DockerRootDir", i.store().graphRoot());
        o.put("HttpProxy", "");
        o.put("HttpsProxy", "");
        o.put("NoProxy", "");
        o.put("Name", i.host().hostname());
        o.putArray("Labels");
        o.put("ExperimentalBuild", false);
        o.put("ServerVersion", Versions.DOCKER_COMPAT_RELEASE);
        ObjectNode runtimes = o.putObject("Runtimes");
        runtimes.putObject(i.host().ociRuntime()).put("path", i.host().ociRuntime());
        o.put("DefaultRuntime", i.host().ociRuntime());
        ObjectNode swarm = o.putObject("Swarm");
        swarm.put("NodeID", "");
        swarm.put("NodeAddr", "");
        swarm.put("LocalNodeState", "inactive");
        swarm.put("ControlAvailable", false);
        swarm.put("Error", "");
        swarm.putNull("RemoteManagers");
        o.put("LiveRestoreEnabled", true);
        o.put("Isolation", "");
        o.put("InitBinary", "");
        o.putObject("ContainerdCommit").put("ID", "").put("Expected", "");
        o.putObject("RuncCommit").put("ID", "").put("Expected", "");
        o.putObject("InitCommit").put("ID", "").put("Expected", "");
        o.putArray("SecurityOptions");
        // the docker CLI prints these as WARNING lines of docker info
        ArrayNode warnings = o.putArray("Warnings");
        EngineStatus st = services.assembler().status();
        st.problems().forEach(warnings::add);
        st.notices().forEach(warnings::add);
        x.json(200, o);
    }

    private void libpodInfo(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Info i = e.system().info();
        ObjectNode o = shapes.object();
        ObjectNode host = o.putObject("host");
        host.put("arch", Shapes.goArch());
        host.put("buildahVersion", "");
        host.put("cgroupManager", i.host().cgroupManager());
        host.put("cgroupVersion", i.host().cgroupVersion());
        host.putArray("cgroupControllers");
        host.put("cpus", i.host().cpus());
        host.set("distribution", shapes.object().put("distribution", "debian"));
        host.put("eventLogger", i.host().eventLogger());
        host.put("hostname", i.host().hostname());
        host.put("kernel", i.host().kernel());
        host.put("memFree", i.host().memFree());
        host.put("memTotal", i.host().memTotal());
        host.put("networkBackend", i.host().networkBackend());
        ObjectNode oci = host.putObject("ociRuntime");
        oci.put("name", i.host().ociRuntime());
        oci.put("package", "");
        oci.put("path", i.host().ociRuntime());
        oci.put("version", "");
        host.put("os", "linux");
        host.putObject("security").put("rootless", false);
        host.put("uptime", i.host().uptimeSeconds() + "s");
        host.put("lockType", i.host().lockType());
        ObjectNode store = o.putObject("store");
        store.put("graphDriverName", i.store().graphDriverName());
        store.put("graphRoot", i.store().graphRoot());
        store.put("runRoot", i.store().runRoot());
        store.put("volumePath", i.store().volumePath());
        ObjectNode cs = store.putObject("containerStore");
        i.store().containerStore().forEach(cs::put);
        store.putObject("imageStore").put("number", i.store().imageCount());
        o.putObject("registries");
        o.putObject("plugins");
        ObjectNode v = o.putObject("version");
        v.put("APIVersion", Versions.LIBPOD_API);
        v.put("Version", Versions.LIBPOD_API);
        v.put("GoVersion", "java" + System.getProperty("java.version"));
        v.put("GitCommit", "");
        v.put("BuiltTime", "");
        v.put("Built", 0);
        v.put("OsArch", "linux/" + Shapes.goArch());
        v.put("Os", "linux");
        ObjectNode jpod = o.putObject("jpod");
        jpod.put("version", i.engine().version());
        jpod.put("databaseBackend", i.engine().databaseBackend());
        jpod.put("staticDir", i.engine().staticDir());
        jpod.put("tmpDir", i.engine().tmpDir());
        ObjectNode providers = jpod.putObject("providers");
        i.engine().providers().forEach(providers::put);
        EngineStatus st = services.assembler().status();
        ArrayNode problems = jpod.putArray("problems");
        st.problems().forEach(problems::add);
        ArrayNode notices = jpod.putArray("notices");
        st.notices().forEach(notices::add);
        x.json(200, o);
    }

    private void dockerDf(Exchange x) throws IOException {
        EngineServices e = services.engine();
        ObjectNode o = shapes.object();
        long layers = 0;
        ArrayNode imgs = o.putArray("Images");
        List<Container> all = e.containers().containers(c -> true);
        for (ImageInfo i : services.images().list()) {
            ObjectNode s = imageView.dockerImageSummary(i);
            s.put("Containers", all.stream().filter(c -> i.id().equals(c.config().imageId())).count());
            imgs.add(s);
            layers += i.size();
        }
        o.put("LayersSize", layers);
        ArrayNode ctrs = o.putArray("Containers");
        Instant now = Instant.now();
        for (Container c : all) {
            ctrs.add(containerView.dockerListItem(c, now));
        }
        o.putArray("Volumes");
        o.putArray("BuildCache");
        x.json(200, o);
    }

}
