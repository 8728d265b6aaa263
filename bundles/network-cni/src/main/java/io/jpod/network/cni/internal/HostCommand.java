package io.jpod.network.cni.internal;

import io.jpod.util.internal.HelperProcess;
import io.jpod.util.internal.HelperTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A host tool (ip, iptables) run with a timeout that fires; its exit code, -1 when it did not run to the end. */
final class HostCommand {
    private static final Logger LOG = LoggerFactory.getLogger(HostCommand.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HostCommand() {
    }

    static int run(String... cmd) {
        try {
            HelperProcess.Result r = HelperProcess.of(cmd).mergeErrors().timeout(TIMEOUT).run();
            if (!r.ok()) {
                LOG.debug("{}: {}", r.command(), r.out());
            }
            return r.exitCode();
        } catch (HelperTimeoutException e) {
            LOG.warn("{}", e.getMessage());
            return -1;
        } catch (InterruptedIOException e) {
            return -1;
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", List.of(cmd), e.getMessage());
            return -1;
        }
    }
}
