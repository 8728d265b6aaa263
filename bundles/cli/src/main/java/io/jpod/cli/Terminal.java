package io.jpod.cli;

import java.io.File;
import java.io.IOException;

/** The local terminal in raw mode for -it sessions (through stty, as Java has no termios). */
final class Terminal {
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

    /** Our terminal's rows and columns, or null when there is none. */
    static int[] size() {
        try {
            String[] rc = stty("size").trim().split("\\s+");
            int rows = Integer.parseInt(rc[0]);
            int cols = Integer.parseInt(rc[1]);
            return rows > 0 && cols > 0 ? new int[] {rows, cols} : null;
        } catch (IOException | RuntimeException e) {
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
