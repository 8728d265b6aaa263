package io.jpod.runtime.internal;

import io.jpod.api.AttachStreams;
import io.jpod.api.ExecConfig;
import io.jpod.api.ExecSession;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a container's check: its command as an exec session of the engine, its stdout and stderr kept up to
 * {@link #MAX_OUTPUT} bytes (Docker's limit), its process killed once the timeout passed (then it counts as failed
 * with exit code -1, as Docker counts it).
 */
final class HealthcheckRun {
    private static final Logger LOG = LoggerFactory.getLogger(HealthcheckRun.class);
    static final int MAX_OUTPUT = 4096;

    private final ExecSessionTable table;
    private final ScheduledExecutorService timer;

    HealthcheckRun(ExecSessionTable table, ScheduledExecutorService timer) {
        this.table = table;
        this.timer = timer;
    }

    HealthState.Result run(String containerId, Healthcheck hc) throws InterruptedException {
        Instant start = Instant.now();
        List<String> command = hc.command();
        LimitedOutput out = new LimitedOutput();
        AtomicBoolean timedOut = new AtomicBoolean();
        String session;
        try {
            session = table.create(containerId, new ExecConfig(command, List.of(), false, false, null, null, false));
        } catch (JpodException e) {
            return new HealthState.Result(start, Instant.now(), -1, e.getMessage());
        }
        ScheduledFuture<?> kill = timer.schedule(() -> {
            timedOut.set(true);
            killProcess(session);
        }, hc.effectiveTimeout(), TimeUnit.NANOSECONDS);
        try {
            int code = table.start(session, new AttachStreams(null, out, out));
            if (timedOut.get()) {
                return new HealthState.Result(start, Instant.now(), -1, "Health check exceeded timeout ("
                        + goDuration(hc.effectiveTimeout()) + ")");
            }
            return new HealthState.Result(start, Instant.now(), code, out.text());
        } catch (JpodException e) {
            return new HealthState.Result(start, Instant.now(), -1, e.getMessage());
        } finally {
            kill.cancel(false);
            table.forget(session);
        }
    }

    private void killProcess(String session) {
        try {
            ExecSession s = table.get(session);
            if (s.running() && s.pid() > 0) {
                ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (RuntimeException e) {
            LOG.debug("killing the timed out healthcheck {}: {}", session, e.toString());
        }
    }

    /** Go's Duration.String, as Docker's message shows the timeout: {@code 30s}, {@code 1m30s}, {@code 500ms}. */
    static String goDuration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000L) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000L) {
            return decimal(nanos, 1_000L) + "µs";
        }
        if (nanos < 1_000_000_000L) {
            return decimal(nanos, 1_000_000L) + "ms";
        }
        long h = nanos / 3_600_000_000_000L, m = nanos / 60_000_000_000L % 60;
        long rest = nanos % 60_000_000_000L;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            b.append(m).append('m');
        }
        return b.append(decimal(rest, 1_000_000_000L)).append('s').toString();
    }

    private static String decimal(long value, long unit) {
        BigDecimal d = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** Docker's limitedBuffer: the first bytes up to the limit, then {@code ...} when there were more. */
    static final class LimitedOutput extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int keep = Math.min(MAX_OUTPUT - kept.size(), len);
            if (keep > 0) {
                kept.write(b, off, keep);
            }
            if (keep < len) {
                truncated = true;
            }
        }

        synchronized String text() {
            String s = kept.toString(StandardCharsets.UTF_8);
            return truncated ? s + "..." : s;
        }
    }
}
