package io.jpod.runtime.internal;

import io.jpod.api.Engine;
import io.jpod.api.EngineAssembler;
import io.jpod.api.Info;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Gogo commands: {@code jpod:status}, {@code jpod:reload}, {@code jpod:info}, {@code jpod:renumber}. */
@Component(service = EngineCommands.class, property = {"osgi.command.scope=jpod",
        "osgi.command.function=status", "osgi.command.function=reload", "osgi.command.function=info",
        "osgi.command.function=renumber"})
public class EngineCommands {

    @Reference
    private EngineAssembler assembler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Engine engine;

    public String status() {
        return assembler.status().message();
    }

    public String reload() {
        return assembler.reload().message();
    }

    public String info() {
        Engine e = requireEngine();
        Info i = e.info();
        return "host: " + i.host() + "\nstore: " + i.store() + "\nengine: " + i.engine();
    }

    public String renumber() {
        return "renumbered " + requireEngine().renumberLocks() + " objects";
    }

    private Engine requireEngine() {
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException(assembler.status().message());
        }
        return e;
    }
}
