package io.jpod.util.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived helper (mount, umount, cp, ip, a CNI plugin, logger) with a timeout that fires. Its
 * stdout and stderr go to temporary files, not pipes, and its stdin comes from one: a helper that prints
 * megabytes cannot fill a pipe and block, nothing waits on reading before {@code waitFor}, and a child that
 * leaves a process behind holding its stdout open cannot hold the caller. On the timeout the helper and every
 * process it started are killed ({@code destroyForcibly}) and {@link HelperTimeoutException} names the
 * command and the timeout. No shell is involved: the command is an argument vector.
 *
 * <pre>{@code
 * HelperProcess.Result r = HelperProcess.of("umount", path).timeout(Duration.ofSeconds(30)).run();
 * String out = HelperProcess.of("cp", "-a", "--", from, to).mergeErrors().runChecked().out();
 * }</pre>
 */
public final class HelperProcess {
    /** The timeout unless one is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** How much of each of stdout and stderr is kept; the rest is read past. */
    static final int MAX_OUTPUT = 16 * 1024 * 1024;
    private static final File DEV_NULL = new File("/dev/null");
    /** How long a killed helper gets to be reaped. */
    private static final long REAP_SECONDS = 5;

    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path directory;
    private byte[] input;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean mergeErrors;
    private boolean uninterruptible;

    private HelperProcess(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        command.forEach(a -> Objects.requireNonNull(a, "an argument of " + command));
        this.command = List.copyOf(command);
    }

    /** The helper {@code command[0]} with its arguments. */
    public static HelperProcess of(String... command) {
        return new HelperProcess(Arrays.asList(command));
    }

    /** The helper {@code command.get(0)} with its arguments. */
    public static HelperProcess of(List<String> command) {
        return new HelperProcess(new ArrayList<>(command));
    }

    /** Where it runs; the caller's working directory unless given (null). */
    public HelperProcess directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Sets {@code name} in its environment (which is the caller's otherwise), or removes it when {@code value} is null. */
    public HelperProcess environment(String name, String value) {
        environment.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /** What it reads on stdin; {@code /dev/null} unless given. */
    public HelperProcess input(byte[] stdin) {
        this.input = stdin == null ? null : stdin.clone();
        return this;
    }

    /** How long it may run before it is killed; {@link #DEFAULT_TIMEOUT} unless given. */
    public HelperProcess timeout(Duration t) {
        if (t == null || t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("a helper's timeout must be positive, not " + t);
        }
        this.timeout = t;
        return this;
    }

    /** Its stderr goes where its stdout goes, interleaved as it wrote them ({@link Result#stderr()} is empty). */
    public HelperProcess mergeErrors() {
        this.mergeErrors = true;
        return this;
    }

    /**
     * An interrupt of the calling thread does not cut the wait short (the helper still runs to its end or to
     * the timeout); the interrupt status is set again when {@link #run()} returns. For work that must be done
     * even on a thread being interrupted, such as writing an event.
     */
    public HelperProcess uninterruptible() {
        this.uninterruptible = true;
        return this;
    }

    /** What the helper did. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final byte[] stdout;
        private final byte[] stderr;

        Result(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** The command line that was run. */
        public List<String> command() {
            return command;
        }

        /** Its exit status (128 + the signal's number when a signal ended it). */
        public int exitCode() {
            return exitCode;
        }

        /** True when it exited 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** Its stdout (with stderr when merged), at most 16 MiB of it. */
        public byte[] stdout() {
            return stdout.clone();
        }

        /** Its stderr, at most 16 MiB of it; empty when merged into stdout. */
        public byte[] stderr() {
            return stderr.clone();
        }

        /** Its stdout as UTF-8 text, leading and trailing white space stripped. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8).strip();
        }

        /** Its stderr as UTF-8 text, leading and trailing white space stripped. */
        public String err() {
            return new String(stderr, StandardCharsets.UTF_8).strip();
        }

        /**
         * This result when it exited 0.
         *
         * @throws IOException "COMMAND failed (exit N): what it printed" otherwise
         */
        public Result requireSuccess() throws IOException {
            if (exitCode != 0) {
                String said = err().isEmpty() ? out() : err();
                throw new IOException(String.join(" ", command) + " failed (exit " + exitCode + ")"
                        + (said.isEmpty() ? "" : ": " + said));
            }
            return this;
        }
    }

    /** {@link #run()}, then {@link Result#requireSuccess()}. */
    public Result runChecked() throws IOException {
        return run().requireSuccess();
    }

    /**
     * Runs the helper to its end.
     *
     * @return its exit status and output, whatever the status
     * @throws HelperTimeoutException when it ran past the timeout (it and what it started are killed)
     * @throws InterruptedIOException when the calling thread was interrupted (it is killed; the interrupt
     *                                status is set again)
     * @throws IOException            when it cannot be started (e.g. no such program)
     */
    public Result run() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        environment.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            if (input != null) {
                in = Files.createTempFile("jpod-helper-", ".in");
                Files.write(in, input);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(DEV_NULL);
            }
            out = Files.createTempFile("jpod-helper-", ".out");
            pb.redirectOutput(out.toFile());
            if (mergeErrors) {
                pb.redirectErrorStream(true);
            } else {
                err = Files.createTempFile("jpod-helper-", ".err");
                pb.redirectError(err.toFile());
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
            }
            int exit = waitFor(p);
            return new Result(command, exit, read(out), err == null ? new byte[0] : read(err));
        } finally {
            for (Path f : new Path[] {in, out, err}) {
                if (f != null) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private int waitFor(Process p) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return p.exitValue();
                    }
                    kill(p);
                    throw new HelperTimeoutException(command, timeout);
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (!uninterruptible) {
                        kill(p);
                        InterruptedIOException ie = new InterruptedIOException("interrupted while running "
                                + String.join(" ", command) + ": it was killed");
                        ie.initCause(e);
                        throw ie;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the helper and what it started (found before the helper dies, when they still are its descendants). */
    private static void kill(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = Thread.interrupted();
        try {
            p.waitFor(REAP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] read(Path f) throws IOException {
        try (InputStream s = Files.newInputStream(f)) {
            return s.readNBytes(MAX_OUTPUT);
        }
    }

    static String describe(Duration d) {
        long s = d.toSeconds();
        if (d.toNanos() == TimeUnit.SECONDS.toNanos(s)) {
            return s + (s == 1 ? " second" : " seconds");
        }
        return d.toMillis() + " ms";
    }
}
