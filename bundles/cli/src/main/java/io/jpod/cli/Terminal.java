package io.jpod.cli;

import io.jpod.linux.Linux;
import io.jpod.linux.WindowSize;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/** The local terminal: raw mode for -it sessions (through stty, as Java has no termios), and its size. */
final class Terminal {
    private static final Path TTY = Path.of("/dev/tty");
    private final String saved;

    private Terminal(String saved) {
        this.saved = saved;
    }

    /** Raw mode, or null when stdin is not a terminal. */
    static Terminal raw() {
        if (System.console() == null) {
            return null;
        }
        try {
            String saved = stty("-g").trim();
            stty("raw", "-echo");
            return new Terminal(saved);
        } catch (IOException e) {
            return null;
        }
    }

    void restore() {
        try {
            stty(saved);
        } catch (IOException ignored) {
            // the terminal is gone
        }
    }

    /**
     * Our terminal's rows and columns, or null when there is none: ioctl(TIOCGWINSZ) on /dev/tty (through
     * io.jpod.linux, whose jnr-ffi loads on this first call, so commands without a terminal never load it).
     */
    static int[] size() {
        try {
            WindowSize ws = Linux.windowSize(TTY);
            return ws.rows() > 0 && ws.columns() > 0 ? new int[] {ws.rows(), ws.columns()} : null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("stty failed");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
