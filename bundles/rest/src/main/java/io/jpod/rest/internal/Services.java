package io.jpod.rest.internal;

import io.jpod.api.Engine;
import io.jpod.api.EngineAssembler;
import io.jpod.api.Images;
import java.util.function.Supplier;

/** The services the handlers call, looked up per call: the engine comes and goes with its providers. */
final class Services {
    private final Supplier<Engine> engine;
    private final Supplier<Images> images;
    private final EngineAssembler assembler;

    Services(Supplier<Engine> engine, Supplier<Images> images, EngineAssembler assembler) {
        this.engine = engine;
        this.images = images;
        this.assembler = assembler;
    }

    /** The engine, or a 503 that says why there is none. */
    Engine engine() {
        Engine e = engine.get();
        if (e == null) {
            throw new ApiException(503, "the engine is not available (it may be reassembling): "
                    + assembler.status().message());
        }
        return e;
    }

    Images images() {
        engine();
        Images i = images.get();
        if (i == null) {
            throw new ApiException(503, "the image service is not running: install the jpod-image feature");
        }
        return i;
    }
}
