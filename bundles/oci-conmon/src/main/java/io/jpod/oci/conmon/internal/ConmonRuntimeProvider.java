package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One OCI runtime name and the paths its binary may be at; opens a {@link ConmonRuntime} over the
 * first that exists, with the first conmon of {@code engine.conmon_path}.
 */
final class ConmonRuntimeProvider implements OciRuntimeProvider {
    private final String name;
    private final List<Path> paths;
    private Path exitCommand;
    private Supplier<String> apiSocket;

    ConmonRuntimeProvider(String name, List<Path> paths) {
        this.name = name;
        this.paths = List.copyOf(paths);
    }

    /** conmon's exit command for the containers of the runtimes this opens; null for none. */
    ConmonRuntimeProvider exitCommand(Path program) {
        this.exitCommand = program;
        return this;
    }

    /** Where conmon's exit command finds the API socket; null for $JPOD_SOCKET, jpod.socket, the default. */
    ConmonRuntimeProvider apiSocket(Supplier<String> socket) {
        this.apiSocket = socket;
        return this;
    }

    String name() {
        return name;
    }

    List<Path> paths() {
        return paths;
    }

    @Override
    public OciRuntime open(ProviderContext context) {
        Path runtime = firstExecutable(paths).orElseThrow(() -> new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE,
                "OCI runtime \"" + name + "\" not found: none of " + paths
                        + " is an executable file; install it or set its path in [engine.runtimes]: "
                        + ErrorCode.OCI_RUNTIME_UNAVAILABLE.text()));
        List<Path> conmons = context.config().engine().conmonPath().stream().map(Path::of).toList();
        Path conmon = firstExecutable(conmons).orElseThrow(() -> new JpodException(
                ErrorCode.OCI_RUNTIME_UNAVAILABLE, "conmon not found: none of " + conmons
                        + " is an executable file; install conmon (Debian: apt-get install conmon) or set"
                        + " engine.conmon_path: " + ErrorCode.OCI_RUNTIME_UNAVAILABLE.text()));
        ConmonRuntime rt = new ConmonRuntime(name, runtime, conmon, context.config(), context.tmpDir(),
                context.staticDir());
        rt.exitCommand(exitCommand);
        rt.apiSocket(apiSocket);
        return rt;
    }

    static Optional<Path> firstExecutable(List<Path> candidates) {
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    @Override
    public String toString() {
        return "OCI runtime " + name + " " + paths;
    }
}
