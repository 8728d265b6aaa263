package io.jpod.oci.conmon.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** conmon processes as /proc shows them: is one still there, its PID file, making sure one is gone. */
final class ConmonProcesses {
    private static final Logger LOG = LoggerFactory.getLogger(ConmonProcesses.class);

    private ConmonProcesses() {
    }

    /** True if {@code pid} is a conmon that has not exited (a zombie waiting for its reaper counts as exited). */
    static boolean isConmon(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int open = stat.indexOf('('), close = stat.lastIndexOf(')');
            return open >= 0 && close > open && stat.substring(open + 1, close).equals("conmon")
                    && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z' && stat.charAt(close + 2) != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The PID in {@code file}; 0 when there is none. */
    static int readPid(Path file) {
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Makes sure a conmon whose container is gone does not linger: a moment to finish, then SIGKILL. */
    static void kill(int pid) {
        if (pid <= 0 || !isConmon(pid)) {
            return;
        }
        long end = System.nanoTime() + 2_000_000_000L;
        long sleep = 1;
        while (isConmon(pid)) {
            if (System.nanoTime() > end) {
                LOG.debug("conmon {} still runs after its container was deleted: killing it", pid);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                return;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep = Math.min(50, sleep * 2);
        }
    }
}
