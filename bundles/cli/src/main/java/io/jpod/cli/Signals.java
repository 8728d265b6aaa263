package io.jpod.cli;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signal handlers for the client. sun.misc.Signal is reached by reflection: it is the JDK's only way to
 * handle a signal, and is not part of the compile-time API.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Runs {@code action} on a thread of its own each time the signal (e.g. "WINCH") arrives. */
    static void on(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) ->
                switch (m.getName()) {
                    case "handle" -> {
                        Thread t = new Thread(action, "jpod-sig" + name.toLowerCase(java.util.Locale.ROOT));
                        t.setDaemon(true);
                        t.start();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "jpod SIG" + name + " handler";
                });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name), h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("no handler for SIG{}: {}", name, e.toString());
        }
    }
}
