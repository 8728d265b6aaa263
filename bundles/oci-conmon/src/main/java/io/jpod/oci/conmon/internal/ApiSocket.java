package io.jpod.oci.conmon.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of the API socket, worked out as the REST service works it out (its component
 * {@code io.jpod.rest}): the {@code socket.path} of its configuration (ConfigAdmin, PID {@value #REST_PID}),
 * else {@code $JPOD_SOCKET}, else the framework property {@code jpod.socket}, else {@value #DEFAULT}. conmon's
 * exit command calls the service there.
 */
final class ApiSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ApiSocket.class);
    static final String REST_PID = "io.jpod.rest", KEY = "socket.path", PROPERTY = "jpod.socket";
    static final String DEFAULT = "/run/jpod/jpod.sock";

    private ApiSocket() {
    }

    /** The first of these that is set, else {@value #DEFAULT}. */
    static String resolve(String configured, String env, String frameworkProperty) {
        for (String s : new String[] {configured, env, frameworkProperty}) {
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return DEFAULT;
    }

    /** Outside a framework (or without its ConfigAdmin): $JPOD_SOCKET, the system property, the default. */
    static Supplier<String> standalone() {
        return () -> resolve(null, System.getenv("JPOD_SOCKET"), System.getProperty(PROPERTY));
    }

    /**
     * In a framework: the REST configuration that {@code configAdmin} holds now (null when there is no
     * ConfigAdmin), then the environment and {@code frameworkProperty} (the bundle context's).
     */
    static Supplier<String> inFramework(Supplier<ConfigurationAdmin> configAdmin,
            Function<String, String> frameworkProperty) {
        return () -> {
            String property;
            try {
                property = frameworkProperty.apply(PROPERTY);
            } catch (IllegalStateException e) { // the bundle stopped meanwhile
                property = System.getProperty(PROPERTY);
            }
            return resolve(configured(configAdmin.get()), System.getenv("JPOD_SOCKET"), property);
        };
    }

    /** The REST service's configured {@code socket.path}; null when it has none (or there is no ConfigAdmin). */
    static String configured(ConfigurationAdmin cm) {
        if (cm == null) {
            return null;
        }
        try {
            // listConfigurations, not getConfiguration: reading must not create a configuration
            Configuration[] found = cm.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "="
                    + REST_PID + ")");
            if (found == null) {
                return null;
            }
            for (Configuration c : found) {
                Dictionary<String, Object> props = c.getProperties();
                Object v = props == null ? null : props.get(KEY);
                if (v != null && !v.toString().isBlank()) {
                    return v.toString();
                }
            }
            return null;
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            LOG.debug("reading the configuration {} for its {}: {}", REST_PID, KEY, e.toString());
            return null;
        }
    }
}
