package io.jpod.webconsole.internal;

import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console never has a default password: at the first start, when no password is stored for
 * {@value ConsoleSecurity#PID}, one is generated and stored as a hash. With FileInstall it goes into
 * {@code <felix.fileinstall.dir>/io.jpod.webconsole.cfg}, the file an operator edits (and the one that
 * survives the service's clean bundle cache); without it, into ConfigAdmin. The generated password itself
 * is never logged (a service's log is often readable by more than root): it goes to an owner-only file
 * ({@link InitialPassword}), and the log says where that file is.
 */
@Component(immediate = true, service = {})
public final class ConsoleCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCredentials.class);

    @Activate
    public ConsoleCredentials(BundleContext context, @Reference ConfigurationAdmin configAdmin) throws IOException {
        InitialPassword initial = InitialPassword.of(context);
        String dir = context.getProperty("felix.fileinstall.dir");
        String port = context.getProperty("org.osgi.service.http.port");
        if (dir != null && !dir.isBlank()) {
            // the file, not ConfigAdmin: FileInstall may not have read it yet
            Path file = Path.of(dir.split(",")[0].trim()).resolve(ConsoleSecurity.PID + ".cfg");
            ensureInFile(file, initial, port);
        } else {
            ensureInConfigAdmin(configAdmin, initial, port);
        }
    }

    /**
     * Makes sure {@code file} holds a password. When it holds none, one is generated and written to
     * {@code initial} (first, so that a failure there leaves no hash nobody knows the password of), its hash is
     * stored in {@code file}, and the log says where both are. When it holds one, an initial password file that
     * no longer opens the console is removed. Returns the generated password, else null.
     */
    static String ensureInFile(Path file, InitialPassword initial, String port) throws IOException {
        boolean exists = Files.exists(file);
        if (exists) {
            String pw = password(file);
            if (pw != null && !pw.isBlank()) {
                initial.dropUnless(pw);
                return null;
            }
        }
        String password = Passwords.generate();
        initial.write(password);
        if (exists) {
            // keep what the operator wrote (a user name, comments)
            writePassword(file, Passwords.hash(password));
        } else {
            writeWhole(file, "# The Felix Web Console's login (jpod-webconsole). password is a hash; to change it,\n"
                    + "# write password = <new password> here: it is replaced by its hash when read.\n"
                    + "username = " + ConsoleSecurity.DEFAULT_USER + "\n"
                    + "password = " + Passwords.hash(password) + "\n");
        }
        announce(initial, file.toString(), port);
        return password;
    }

    /** Says where the generated password is, never the password. */
    private static void announce(InitialPassword initial, String where, String port) {
        LOG.warn("Web Console: no password was set, so one was generated for the user \"{}\" and written to {} "
                + "(readable by root only; stored as a hash in {}). Log in at http://127.0.0.1:{}/system/console/{} ; "
                + "to choose your own, write \"password = <new password>\" in {} (it is hashed when read).",
                ConsoleSecurity.DEFAULT_USER, initial.file(), where, port == null ? "8080" : port, ContainersPlugin.LABEL, where);
    }

    /**
     * Puts {@code hash} in place of the password line(s) of an operator's .cfg file, keeping every other
     * line, when the file still holds {@code plain}; false when it holds anything else (the hash already,
     * or a newer password). One atomic write: FileInstall's own write-back truncates the file in place, and
     * its watcher could read it half written and hand the console a login without password.
     */
    static boolean replacePassword(Path file, String plain, String hash) throws IOException {
        if (!plain.equals(password(file))) {
            return false;
        }
        writePassword(file, hash);
        return true;
    }

    /** The password the file gives, as Properties (and FileInstall) read it; null when it gives none. */
    private static String password(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p.getProperty("password");
    }

    /** Every line of the file but its password lines, then {@code password = hash}, in one atomic write. */
    private static void writePassword(Path file, String hash) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.strip().matches("password\\s*([=:].*)?")) {
                sb.append(line).append('\n');
            }
        }
        sb.append("password = ").append(hash).append('\n');
        writeWhole(file, sb);
    }

    /**
     * Replaces {@code file} whole and owner-only (0600, from the first byte on): FileInstall sees the whole file
     * at once, and a crash leaves the old file or the new one.
     */
    private static void writeWhole(Path file, CharSequence content) throws IOException {
        AtomicFiles.writeString(file, content, AtomicFiles.OWNER_ONLY);
    }

    private static void ensureInConfigAdmin(ConfigurationAdmin configAdmin, InitialPassword initial, String port) throws IOException {
        Configuration c = configAdmin.getConfiguration(ConsoleSecurity.PID, "?");
        Dictionary<String, Object> props = c.getProperties();
        Object pw = props == null ? null : props.get("password");
        if (pw != null && !pw.toString().isBlank()) {
            initial.dropUnless(pw.toString());
            return;
        }
        Dictionary<String, Object> next = new Hashtable<>();
        if (props != null) {
            for (var keys = props.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                next.put(k, props.get(k));
            }
        }
        if (next.get("username") == null) {
            next.put("username", ConsoleSecurity.DEFAULT_USER);
        }
        String password = Passwords.generate();
        initial.write(password);
        next.put("password", Passwords.hash(password));
        c.update(next);
        announce(initial, "the configuration " + ConsoleSecurity.PID + " (ConfigAdmin)", port);
    }
}
