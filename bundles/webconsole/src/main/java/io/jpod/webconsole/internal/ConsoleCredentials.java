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
 * {@value ConsoleSecurity#PID}, one is generated, logged once, and stored as a hash. With FileInstall it
 * goes into {@code <felix.fileinstall.dir>/io.jpod.webconsole.cfg}, the file an operator edits (and
 * the one that survives the service's clean bundle cache); without it, into ConfigAdmin.
 */
@Component(immediate = true, service = {})
public final class ConsoleCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCredentials.class);

    @Activate
    public ConsoleCredentials(BundleContext context, @Reference ConfigurationAdmin configAdmin) throws IOException {
        String dir = context.getProperty("felix.fileinstall.dir");
        String where;
        String password;
        if (dir != null && !dir.isBlank()) {
            // the file, not ConfigAdmin: FileInstall may not have read it yet
            Path file = Path.of(dir.split(",")[0].trim()).resolve(ConsoleSecurity.PID + ".cfg");
            password = ensureInFile(file);
            where = file.toString();
        } else {
            password = ensureInConfigAdmin(configAdmin);
            where = "the configuration " + ConsoleSecurity.PID + " (ConfigAdmin)";
        }
        if (password != null) {
            String port = context.getProperty("org.osgi.service.http.port");
            LOG.warn("Web Console: no password was set, so one was generated for the user \"{}\": {}  "
                    + "(shown only this once; stored as a hash in {}). Log in at http://127.0.0.1:{}/system/console/{} ; "
                    + "to choose your own, write \"password = <new password>\" there (it is hashed when read).",
                    ConsoleSecurity.DEFAULT_USER, password, where, port == null ? "8080" : port, ContainersPlugin.LABEL);
        }
    }

    /** The generated password when the file had none, else null. */
    static String ensureInFile(Path file) throws IOException {
        boolean exists = Files.exists(file);
        if (exists) {
            String pw = password(file);
            if (pw != null && !pw.isBlank()) {
                return null;
            }
        }
        String password = Passwords.generate();
        if (exists) {
            // keep what the operator wrote (a user name, comments)
            writePassword(file, Passwords.hash(password));
        } else {
            writeWhole(file, "# The Felix Web Console's login (jpod-webconsole). password is a hash; to change it,\n"
                    + "# write password = <new password> here: it is replaced by its hash when read.\n"
                    + "username = " + ConsoleSecurity.DEFAULT_USER + "\n"
                    + "password = " + Passwords.hash(password) + "\n");
        }
        return password;
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

    private static String ensureInConfigAdmin(ConfigurationAdmin configAdmin) throws IOException {
        Configuration c = configAdmin.getConfiguration(ConsoleSecurity.PID, "?");
        Dictionary<String, Object> props = c.getProperties();
        Object pw = props == null ? null : props.get("password");
        if (pw != null && !pw.toString().isBlank()) {
            return null;
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
        next.put("password", Passwords.hash(password));
        c.update(next);
        return password;
    }
}
