package io.jpod.lock.file.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.LockProvider;
import org.osgi.service.component.annotations.Component;

/** The {@code file} lock manager: one lock file per allocated number under {@code <tmp_dir>/locks}. */
@Component(service = LockProvider.class)
@JpodName("file")
public class FileLockProvider implements LockProvider {
    static final int MAX_LOCKS = 1 << 20;

    @Override
    public LockManager open(ProviderContext context) {
        int n = context.config().engine().numLocks();
        if (n < 1 || n > MAX_LOCKS) {
            throw new JpodException(ErrorCode.INVALID_ARG, "num_locks must be between 1 and " + MAX_LOCKS + ", got "
                    + n + ": set engine.num_locks in jpod.conf");
        }
        return new FileLockManager(context.tmpDir().resolve("locks"), n);
    }
}
