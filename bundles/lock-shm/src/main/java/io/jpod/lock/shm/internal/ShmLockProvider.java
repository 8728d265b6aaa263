package io.jpod.lock.shm.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.LockProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code shm} lock manager: a fixed segment of {@code num_locks} locks under /dev/shm with an
 * allocation bitmap, shared by every process of the engine.
 */
@Component(service = LockProvider.class)
@JpodName("shm")
public class ShmLockProvider implements LockProvider {
    static final int MAX_LOCKS = 1 << 20;
    static final Path SHM = Path.of("/dev/shm");
    static final String DEFAULT_TMP_DIR = "/run/jpod";

    @Override
    public LockManager open(ProviderContext context) {
        int n = context.config().engine().numLocks();
        if (n < 1 || n > MAX_LOCKS) {
            throw new JpodException(ErrorCode.INVALID_ARG, "num_locks must be between 1 and " + MAX_LOCKS + ", got "
                    + n + ": set engine.num_locks in jpod.conf");
        }
        return new ShmLockManager(segmentPath(context.dirs().tmpDir()), n, context.renumber());
    }

    /**
     * {@code /dev/shm/jpod_locks} for the default tmp dir; an engine with another tmp dir (a second
     * engine on the host, a test) gets a segment of its own, named after that dir.
     */
    public static Path segmentPath(String tmpDir) {
        Path tmp = Path.of(tmpDir).toAbsolutePath().normalize();
        if (tmp.toString().equals(DEFAULT_TMP_DIR)) {
            return SHM.resolve("jpod_locks");
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(tmp.toString().getBytes(StandardCharsets.UTF_8));
            return SHM.resolve("jpod_locks_" + HexFormat.of().formatHex(h, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
