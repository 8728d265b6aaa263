package io.jpod.events.none.internal;

import io.jpod.api.Event;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.events.EventFilters;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.Eventer;
import io.jpod.spi.events.EventerProvider;
import java.util.function.Predicate;
import org.osgi.service.component.annotations.Component;

/**
 * The events logger {@code none}, as libpod's nullEventer (events/nullout.go): writing discards the
 * event, reading returns at once without handing anything to the sink, with or without follow.
 */
@Component(service = EventerProvider.class)
@JpodName("none")
public class NoneEventerProvider implements EventerProvider {

    @Override
    public Eventer open(ProviderContext context) {
        return new NoneEventer();
    }

    static final class NoneEventer implements Eventer {
        @Override
        public void write(Event event) {
            // discarded, as libpod's nullEventer.Write
        }

        @Override
        public void read(EventReadOptions options, Predicate<Event> sink) {
            // Validate the filters so that a typo is reported as with every other logger, then return:
            // libpod's nullEventer.Read returns nil at once, follow or not.
            EventFilters.of(options);
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
