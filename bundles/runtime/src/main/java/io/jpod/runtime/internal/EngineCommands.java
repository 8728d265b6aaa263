package io.jpod.runtime.internal;

import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.EngineAssembler;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.Images;
import io.jpod.api.Info;
import io.jpod.api.JpodException;
import io.jpod.api.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands: {@code jpod:status}, {@code jpod:reload}, {@code jpod:info}, {@code jpod:renumber}, and
 * {@code jpod:run IMAGE [COMMAND...]} (create, start, wait, print the output, remove), which the
 * distribution's main job uses until the CLI exists.
 */
@Component(service = EngineCommands.class, property = {"osgi.command.scope=jpod",
        "osgi.command.function=status", "osgi.command.function=reload", "osgi.command.function=info",
        "osgi.command.function=renumber", "osgi.command.function=run"})
public class EngineCommands {
    private static final long WAIT_MS = 30_000;

    @Reference
    private EngineAssembler assembler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Containers containers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EngineSystem system;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Images images;

    private String home;

    @Activate
    void activate(BundleContext ctx) {
        home = ctx.getProperty("jpod.home");
    }

    public String status() {
        return assembler.status().message();
    }

    public String reload() {
        return assembler.reload().message();
    }

    public String info() {
        Info i = require(system).info();
        return "host: " + i.host() + "\nstore: " + i.store() + "\nengine: " + i.engine();
    }

    public String renumber() {
        return "renumbered " + require(system).renumberLocks() + " objects";
    }

    /**
     * Runs a container to its end and returns what it wrote. An image not yet stored is imported from
     * {@code <jpod.home>/etc/<image>.tar} when the distribution has one (the bundled busybox).
     */
    public String run(String image, String... command) throws InterruptedException, IOException {
        long end = System.currentTimeMillis() + WAIT_MS;
        while ((containers == null || images == null) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        Containers e = require(containers);
        Images im = images;
        if (im == null) {
            throw new IllegalStateException("the image service is not running: install the jpod-image feature");
        }
        try {
            im.inspect(image);
        } catch (JpodException notThere) {
            Path tar = home == null ? null : Path.of(home, "etc", image + ".tar");
            if (!JpodException.is(notThere, ErrorCode.NO_SUCH_IMAGE) || tar == null || !Files.isRegularFile(tar)) {
                throw notThere;
            }
            try (InputStream in = Files.newInputStream(tar)) {
                im.importRootfs(in, image, List.of("CMD [\"sh\"]"));
            }
        }
        ContainerConfig.Builder spec = ContainerConfig.builder().image(image);
        if (command.length > 0) {
            spec.command(List.of(command));
        }
        Container c = e.createContainer(im.withImageDefaults(spec.build()));
        try {
            e.start(c.id());
            int code = e.waitFor(c.id(), Set.of(), 20);
            StringBuilder out = new StringBuilder();
            for (LogLine l : e.logs(c.id(), 0, null)) {
                out.append(l.text()).append('\n');
            }
            if (code != 0) {
                out.append("(exit code ").append(code).append(")\n");
            }
            return out.toString().stripTrailing();
        } finally {
            e.removeContainer(c.id(), true);
        }
    }

    private <T> T require(T service) {
        T e = service;
        if (e == null) {
            throw new IllegalStateException(assembler.status().message());
        }
        return e;
    }
}
