package io.jpod.rest.internal;

import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.Images;
import io.jpod.api.registry.Registries;
import java.util.function.Supplier;

/** The services the handlers call, looked up per call: the engine comes and goes with its providers. */
final class Services {
    static final long WAIT_MS = 10_000;
    private final Supplier<EngineServices> engine;
    private final Supplier<Images> images;
    private final Supplier<Registries> registries;
    private final EngineAssembler assembler;
    private volatile Supplier<io.jpod.build.ImageBuilder> builder = () -> null;

    Services(Supplier<EngineServices> engine, Supplier<Images> images, EngineAssembler assembler) {
        this(engine, images, () -> null, assembler);
    }

    Services(Supplier<EngineServices> engine, Supplier<Images> images, Supplier<Registries> registries,
            EngineAssembler assembler) {
        this.engine = engine;
        this.images = images;
        this.registries = registries;
        this.assembler = assembler;
    }

    /** The registry protocol; a 503 saying what to install when the registry bundle is not there. */
    Registries registries() {
        Registries r = registries.get();
        if (r == null) {
            throw new ApiException(503, "jpod cannot reach registries without its registry bundle: install the "
                    + "jpod-registry feature");
        }
        return r;
    }

    /** Where the image builder comes from (the REST service's reference to it). */
    Services builders(Supplier<io.jpod.build.ImageBuilder> b) {
        this.builder = b;
        return this;
    }

    /** The image builder; a 503 naming what is missing while there is none. */
    io.jpod.build.ImageBuilder builder() {
        engine();
        return await(builder, "the image builder is not running (install the jpod-build feature; it runs while the "
                + "engine and its image service do)");
    }

    /** The registry protocol, or null while the registry bundle is not there. */
    Registries registriesOrNull() {
        return registries.get();
    }

    /**
     * The engine. While it is being assembled (nothing missing, no problem reported) a call waits for it
     * up to {@link #WAIT_MS}; otherwise, or after that, it gets a 503 that says why there is none.
     */
    EngineServices engine() {
        return await(engine, "the engine is not available");
    }

    io.jpod.api.Containers containers() {
        return engine().containers();
    }

    io.jpod.api.ExecSessions execs() {
        return engine().execs();
    }

    io.jpod.api.Volumes volumes() {
        return engine().volumes();
    }

    io.jpod.api.Networks networks() {
        return engine().networks();
    }

    io.jpod.api.EngineSystem system() {
        return engine().system();
    }

    EngineAssembler assembler() {
        return assembler;
    }

    Images images() {
        engine();
        return await(images, "the image service is not running (install the jpod-image feature)");
    }

    private <T> T await(Supplier<T> service, String what) {
        long end = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (true) {
            T t = service.get();
            if (t != null) {
                return t;
            }
            EngineStatus status = assembler.status();
            // notices (a name registered twice: the first serves) are no reason to give up
            boolean coming = status.assembled() || status.missing().isEmpty() && status.problems().isEmpty();
            if (!coming || System.nanoTime() > end) {
                throw new ApiException(503, what + ": " + status.message());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, what + ": " + status.message());
            }
        }
    }
}
