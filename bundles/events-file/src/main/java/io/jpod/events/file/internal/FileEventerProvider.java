package io.jpod.events.file.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.EngineConfig;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.events.Eventer;
import io.jpod.spi.events.EventerProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * The events logger {@code file}, as libpod's EventLogFile (events/events_logfile.go): JSON lines in
 * {@code engine.events_logfile_path}, rotated at {@code engine.events_logfile_max_size} bytes.
 */
@Component(service = EventerProvider.class)
@JpodName("file")
public class FileEventerProvider implements EventerProvider {

    @Override
    public Eventer open(ProviderContext context) {
        EngineConfig engine = context.config().engine();
        String p = engine.eventsLogfilePath();
        if (p == null || p.isBlank()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "events_logger \"file\" needs a file: "
                    + "set engine.events_logfile_path, e.g. to \"/run/jpod/events/events.log\"");
        }
        Path path;
        try {
            path = Path.of(p);
        } catch (InvalidPathException ex) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "engine.events_logfile_path \"" + p
                    + "\" is not a valid path: " + ex.getMessage(), ex);
        }
        return new FileEventer(path, engine.eventsLogfileMaxSize());
    }
}
