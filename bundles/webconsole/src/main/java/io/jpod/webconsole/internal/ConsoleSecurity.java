package io.jpod.webconsole.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's login: one user and a hashed password from {@value #PID}. It registers a Web Console
 * security provider with the id {@value #PROVIDER_ID}; the distribution names that id in
 * {@code felix.webconsole.security.providers}, so the console serves nothing until this login is in
 * place (its own admin/admin default is never reachable). Registered by hand rather than as the
 * component's service so that the password hash is not a service property anyone can list.
 */
@Component(configurationPid = ConsoleSecurity.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ConsoleSecurity.Config.class)
public final class ConsoleSecurity {
    static final String PID = "io.jpod.webconsole";
    static final String PROVIDER_ID = "jpod";
    static final String DEFAULT_USER = "admin";
    private static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    /** More than FileInstall's poll, so that its watcher has read the file it wrote back. */
    private static final long WRITE_BACK_DELAY_MS = 2000;
    private static final int WRITE_BACK_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);

    @ObjectClassDefinition(name = "jpod Web Console login",
            description = "The user and password of the Felix Web Console. A password written in plain text is replaced by its hash when read.")
    public @interface Config {
        @AttributeDefinition(description = "The user name")
        String username() default DEFAULT_USER;

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "The password, or its pbkdf2-sha256 hash")
        String password() default "";
    }

    private final ConfigurationAdmin configAdmin;
    private final BundleContext context;
    private volatile String username;
    private volatile String stored;
    /** A digest of the last credentials that matched: Basic auth sends them with every request, PBKDF2 is slow on purpose. */
    private volatile byte[] verified;
    private final byte[] pepper = new byte[32];
    private ServiceRegistration<?> registration;
    private final ScheduledExecutorService hashWriter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jpod-webconsole-password");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public ConsoleSecurity(BundleContext context, @Reference ConfigurationAdmin configAdmin, Config config) {
        this.context = context;
        this.configAdmin = configAdmin;
        new java.security.SecureRandom().nextBytes(pepper);
        modified(config);
    }

    @Modified
    synchronized void modified(Config config) {
        verified = null;
        username = config.username() == null || config.username().isBlank() ? DEFAULT_USER : config.username().strip();
        String pw = config.password();
        if (pw == null || pw.isBlank()) {
            LOG.error("Web Console: {} has no password, so the console stays closed; write \"password = <new password>\" into its .cfg file", PID);
            stored = null;
            unregister();
            return;
        }
        if (!Passwords.isHashed(pw)) {
            String plain = pw;
            pw = Passwords.hash(plain);
            storeHash(plain, pw);
        }
        stored = pw;
        if (registration == null) {
            register();
        }
    }

    private void register() {
        Dictionary<String, Object> props = new Hashtable<>(Map.of(
                SecurityProvider.PROPERTY_ID, PROVIDER_ID,
                // before the console's built-in basic provider
                Constants.SERVICE_RANKING, 1000));
        registration = context.registerService(SecurityProvider.class, new BasicLogin(this::authenticate), props);
    }

    /** The user name when both match, else null (what the console's provider contract asks). */
    String authenticate(String user, String password) {
        String u = username;
        String s = stored;
        if (user == null || password == null || s == null) {
            return null;
        }
        byte[] digest = digest(user, password);
        byte[] last = verified;
        if (last != null && MessageDigest.isEqual(last, digest)) {
            return u;
        }
        // both compared always, in constant time, so that a wrong user name takes as long as a wrong password
        boolean userOk = MessageDigest.isEqual(u.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = Passwords.matches(s, password);
        if (userOk && passwordOk) {
            if (stored == s) {
                verified = digest;
            }
            return u;
        }
        LOG.info("Web Console: login refused for the user \"{}\"", user.length() > 64 ? user.substring(0, 64) + "..." : user);
        return null;
    }

    private byte[] digest(String user, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(pepper);
            md.update(user.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(password.getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Replaces the plain password by its hash where it is kept. When FileInstall read it from a .cfg file,
     * the hash goes into that file, and FileInstall hands it to ConfigAdmin; else into ConfigAdmin.
     */
    private void storeHash(String plain, String hash) {
        try {
            Configuration c = configAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> props = c.getProperties();
            if (props == null) {
                return;
            }
            Object file = props.get(FILEINSTALL_FILENAME);
            if (file != null) {
                // after FileInstall's own write-back of this update, which ConfigAdmin delivers after this call
                hashWriter.schedule(() -> writeHash(Path.of(URI.create(file.toString())), plain, hash, 1),
                        WRITE_BACK_DELAY_MS, TimeUnit.MILLISECONDS);
                return;
            }
            props.put("password", hash);
            c.update(props);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Web Console: could not store the password's hash in {}: {}; the plain password stays there", PID, e.toString());
        }
    }

    /** Writes the hash, and looks again later: a write-back of FileInstall's may have put the plain password back. */
    private void writeHash(Path file, String plain, String hash, int attempt) {
        try {
            if (!ConsoleCredentials.replacePassword(file, plain, hash) || attempt >= WRITE_BACK_ATTEMPTS) {
                return;
            }
            hashWriter.schedule(() -> writeHash(file, plain, hash, attempt + 1), WRITE_BACK_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Web Console: could not store the password's hash in {}: {}; the plain password stays there", file, e.toString());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        hashWriter.shutdownNow();
        unregister();
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
    }
}
