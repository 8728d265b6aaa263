package io.jpod.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jpod}: podman's commands and flags, as a client of the service's libpod API. Errors print
 * {@code Error: <message>} and exit 125 (or 126/127 when a container's command cannot be invoked or found).
 */
@Command(name = "jpod", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Manage containers and images through the jpod service.")
public final class Main extends CommandGroup {
    static final String DEFAULT_SOCKET = "/run/jpod/jpod.sock";
    static final int ENGINE_ERROR = 125;

    /**
     * jpod's commands. A command line gets the model of the one it names only: picocli builds a command's
     * model by reflection, and building all of them was most of a short command's start.
     */
    static final List<Class<?>> COMMANDS = List.of(
            SystemCommands.VersionCmd.class, SystemCommands.InfoCmd.class, EventCommands.EventsCmd.class,
            SystemCommands.SystemGroup.class, ContainerCleanup.ContainerGroup.class,
            ContainerCommands.Ps.class, ContainerCommands.Run.class, ContainerCommands.Create.class,
            ContainerCommands.Start.class, ContainerCommands.Stop.class, ContainerCommands.Kill.class,
            ContainerCommands.Restart.class, ContainerCommands.Pause.class, ContainerCommands.Unpause.class,
            ContainerCommands.Rm.class, ContainerCommands.Wait.class, ContainerCommands.Logs.class,
            ContainerCommands.Exec.class, ContainerCommands.Inspect.class, AttachCommand.class,
            CpCommand.class, UpdateCommand.class,
            ImageCommands.Images.class, ImageCommands.Rmi.class, ImageCommands.Tag.class, ImageCommands.Untag.class,
            ImageCommands.Load.class, ImageCommands.Save.class, ImageCommands.Import.class, BuildCommand.class, BuildCommand.BuilderGroup.class,
            ImageCommands.Pull.class, ImageCommands.Push.class, SearchCommand.class, LoginCommands.Login.class, LoginCommands.Logout.class,
            NetworkCommands.Group.class, VolumeCommands.Group.class, PodCommands.Group.class,
            KubeCommands.PlayGroup.class, KubeCommands.GenerateGroup.class,
            StatsCommand.class, TopCommand.class, PortCommand.class, RenameCommand.class,
            HealthcheckCommands.Group.class,
            ChangesCommands.Diff.class, ChangesCommands.Export.class, ChangesCommands.Commit.class,
            CommandLine.HelpCommand.class);

    @Option(names = "--url", description = "URL of the service (unix:///path); default $CONTAINER_HOST or unix://" + DEFAULT_SOCKET)
    String url;

    @Option(names = "--log-level", description = "Log messages at and above this level: debug, info, warn, error (default warn)")
    String logLevel = "warn";

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code (the tests call this). */
    static int execute(String[] args, PrintWriter err) {
        configureLogging(args);
        CommandLine cl = commandLine(args);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** Every command (help, and the tests). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The commands {@code args} needs: the one they name, none for {@code --version}, or all when they name none
     * or one unknown (the help lists them).
     */
    static CommandLine commandLine(String[] line) {
        CommandLine cl = new CommandLine(new Main());
        String name = commandName(line);
        for (Class<?> c : COMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (name != null && (name.equals(a.name()) || List.of(a.aliases()).contains(name))) {
                cl.addSubcommand(c);
            }
        }
        if (cl.getSubcommands().isEmpty() && !(name == null && asksVersion(line))) {
            COMMANDS.forEach(cl::addSubcommand);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // podman: everything after the image (or container) belongs to the command
        for (String sub : new String[] {"run", "create", "exec"}) {
            CommandLine c = cl.getSubcommands().get(sub);
            if (c != null) {
                c.setStopAtPositional(true);
            }
        }
        cl.getSubcommands().values().forEach(Main::addHelp);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("Error: " + ex.getMessage());
            c.getErr().println("See '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ENGINE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("Error: " + message(ex));
            c.getErr().flush();
            return exitCode(ex);
        });
        return cl;
    }

    /** The first word that is not a global option or its value; null for none, or for help. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--url") || a.equals("--log-level")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a.equals("help") ? null : a;
            }
        }
        return null;
    }

    /** Whether the global options ask for the version: {@code -V} or {@code --version}, and no help. */
    static boolean asksVersion(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return false;
            }
            version |= a.equals("--version") || a.equals("-V");
        }
        return version;
    }

    /** {@code --help} on every command, as podman has it ({@code -h} is taken: run's --hostname). */
    private static void addHelp(CommandLine c) {
        if (c.getCommandSpec().findOption("--help") == null) {
            c.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("--help").usageHelp(true)
                    .description("Show this help and exit").build());
        }
        c.getSubcommands().values().forEach(Main::addHelp);
    }

    static String message(Throwable ex) {
        if (ex instanceof ApiException || ex instanceof IllegalArgumentException || ex instanceof ExitException) {
            return ex.getMessage();
        }
        String m = ex.getMessage();
        return m == null ? ex.toString() : m;
    }

    /** podman's exit codes: 127 a command not found, 126 one that cannot be invoked, else 125. */
    static int exitCode(Throwable ex) {
        if (ex instanceof ExitException e) {
            return e.code;
        }
        String m = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("command that was not found") || m.contains("executable file not found")
                || m.contains("no such file or directory") && m.contains("exec")) {
            return 127;
        }
        if (m.contains("oci permission denied") || m.contains("permission denied") && m.contains("exec")) {
            return 126;
        }
        return ENGINE_ERROR;
    }

    /** An exit with a given code and message (e.g. a container that could not start). */
    static final class ExitException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        ExitException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static void configureLogging(String[] args) {
        String level = "warn";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[i + 1];
            } else if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            }
        }
        // slf4j-simple reads these once, before the first logger; logs go to stderr
        // trace: Jetty's own debug output too
        boolean trace = level.equalsIgnoreCase("trace");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", trace ? "debug" : level.toLowerCase(Locale.ROOT));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty",
                trace ? "debug" : level.equalsIgnoreCase("debug") ? "info" : "warn");
    }

    /** The socket the global flags, CONTAINER_HOST or the default name. */
    Path socket() {
        String u = url != null ? url : System.getenv("CONTAINER_HOST");
        if (u == null || u.isEmpty()) {
            // JPOD_SOCKET: where bin/jpod-service listens when it is set; -Djpod.socket: another default
            String own = System.getenv("JPOD_SOCKET");
            return Path.of(own != null && !own.isEmpty() ? own : System.getProperty("jpod.socket", DEFAULT_SOCKET));
        }
        if (u.startsWith("/")) {
            return Path.of(u);
        }
        URI uri = URI.create(u);
        if (!"unix".equals(uri.getScheme())) {
            throw new IllegalArgumentException("unsupported connection URL \"" + u + "\": only unix:///path is supported");
        }
        return Path.of(uri.getPath());
    }

    /** A client of the service; starts bin/jpod-service when nothing answers on the default socket. */
    Api connect() {
        Path socket = socket();
        Api api = new Api(socket);
        if (api.ping()) {
            return api;
        }
        boolean isDefault = url == null && (System.getenv("CONTAINER_HOST") == null || System.getenv("CONTAINER_HOST").isEmpty());
        if (!isDefault) {
            api.close();
            throw new ApiException("unable to connect to jpod service: nothing answers on " + socket, null);
        }
        ServiceStarter.start(socket, api);
        return api;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jpod version " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
