package com.example.jpod.runtime;

import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerState;
import io.jpod.api.ExecConfig;
import io.jpod.spi.oci.OciRuntime;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * runc with an annotation of its own: {@link #createContainer} adds {@link AnnotatingRuntimeProvider#ANNOTATION}
 * to the container's configuration before the wrapped runtime writes the OCI spec (config.json) from it.
 * Everything else is runc's.
 */
final class AnnotatingRuntime implements OciRuntime {
    private final String name;
    private final OciRuntime runc;

    AnnotatingRuntime(String name, OciRuntime runc) {
        this.name = name;
        this.runc = runc;
    }

    /** The container as the wrapped runtime sees it: with this runtime's annotation. */
    private Container annotated(Container ctr) {
        Map<String, String> annotations = new HashMap<>(ctr.config().annotations());
        annotations.put(AnnotatingRuntimeProvider.ANNOTATION, name);
        return ctr.withConfig(ctr.config().toBuilder().annotations(annotations).build());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path path() {
        return runc.path();
    }

    @Override
    public ContainerState createContainer(Container ctr) {
        return runc.createContainer(annotated(ctr));
    }

    @Override
    public ContainerState startContainer(Container ctr) {
        return runc.startContainer(ctr);
    }

    @Override
    public void killContainer(Container ctr, int signal, boolean all) {
        runc.killContainer(ctr, signal, all);
    }

    @Override
    public ContainerState stopContainer(Container ctr, long timeoutSeconds, boolean all) {
        return runc.stopContainer(ctr, timeoutSeconds, all);
    }

    @Override
    public void deleteContainer(Container ctr) {
        runc.deleteContainer(ctr);
    }

    @Override
    public ContainerState pauseContainer(Container ctr) {
        return runc.pauseContainer(ctr);
    }

    @Override
    public ContainerState unpauseContainer(Container ctr) {
        return runc.unpauseContainer(ctr);
    }

    @Override
    public java.util.Optional<java.nio.file.Path> exitDirectory() {
        return runc.exitDirectory();
    }

    @Override
    public ContainerState updateContainerStatus(Container ctr) {
        return runc.updateContainerStatus(ctr);
    }

    @Override
    public int execContainer(Container ctr, String sessionId, ExecConfig config) {
        return runc.execContainer(ctr, sessionId, config);
    }

    @Override
    public Path execLogPath(Container ctr, String sessionId) {
        return runc.execLogPath(ctr, sessionId);
    }

    @Override
    public AutoCloseable execStdin(Container ctr, String sessionId, InputStream stdin) {
        return runc.execStdin(ctr, sessionId, stdin);
    }

    @Override
    public OptionalInt execExitCode(Container ctr, String sessionId) {
        return runc.execExitCode(ctr, sessionId);
    }

    @Override
    public void execRemove(Container ctr, String sessionId) {
        runc.execRemove(ctr, sessionId);
    }

    @Override
    public void attach(Container ctr, AttachStreams streams) throws InterruptedException {
        runc.attach(ctr, streams);
    }

    @Override
    public Path logPath(Container ctr) {
        return runc.logPath(ctr);
    }

    @Override
    public Path attachSocketPath(Container ctr) {
        return runc.attachSocketPath(ctr);
    }

    @Override
    public void close() {
        runc.close();
    }
}
