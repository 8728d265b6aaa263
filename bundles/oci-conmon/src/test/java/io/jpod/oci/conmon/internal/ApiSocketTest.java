package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

public class ApiSocketTest {

    private static ConfigurationAdmin admin(String socketPath) {
        Configuration conf = (Configuration) Proxy.newProxyInstance(ApiSocketTest.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (p, m, a) -> {
                    if (m.getName().equals("getProperties")) {
                        Hashtable<String, Object> props = new Hashtable<>();
                        props.put("socket.path", socketPath);
                        return props;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(ApiSocketTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (p, m, a) -> {
                    if (m.getName().equals("listConfigurations")) {
                        assertEquals("(service.pid=io.jpod.rest)", a[0]);
                        return new Configuration[] {conf};
                    }
                    throw new UnsupportedOperationException("reading only, never " + m.getName());
                });
    }

    @Test
    public void theRestServicesPrecedence() {
        assertEquals("/c.sock", ApiSocket.resolve("/c.sock", "/env.sock", "/prop.sock"));
        assertEquals("/env.sock", ApiSocket.resolve(" ", "/env.sock", "/prop.sock"));
        assertEquals("/prop.sock", ApiSocket.resolve(null, "", "/prop.sock"));
        assertEquals("/run/jpod/jpod.sock", ApiSocket.resolve(null, null, null));
    }

    @Test
    public void theConfiguredSocketPathComesFirst() {
        assertEquals("/srv/api.sock", ApiSocket.configured(admin("/srv/api.sock")));
        assertNull(ApiSocket.configured(admin("")));
        assertNull(ApiSocket.configured(null));
        ConfigurationAdmin none = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (p, m, a) -> null);
        assertNull(ApiSocket.configured(none));
        if (System.getenv("JPOD_SOCKET") == null) {
            assertEquals("/srv/api.sock", ApiSocket.inFramework(() -> admin("/srv/api.sock"), k -> "/prop.sock").get());
            assertEquals("/prop.sock", ApiSocket.inFramework(() -> null, k -> "/prop.sock").get());
            // the bundle stopped meanwhile: the system property, then the default
            assertEquals(ApiSocket.resolve(null, null, System.getProperty("jpod.socket")),
                    ApiSocket.inFramework(() -> null, k -> {
                        throw new IllegalStateException("bundle stopped");
                    }).get());
        }
    }
}
