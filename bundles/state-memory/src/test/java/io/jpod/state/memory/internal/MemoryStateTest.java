package io.jpod.state.memory.internal;

import static org.junit.Assert.assertTrue;

import io.jpod.api.DBConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.state.State;
import org.junit.Test;

public class MemoryStateTest extends AbstractStateContractTest {

    static ProviderContext context() {
        return new ProviderContext("memory", null, new DBConfig("/tmp/s", "/tmp/t", "/tmp/g", "/tmp/r", "vfs", "/tmp/v"),
                false, null);
    }

    @Override
    protected State openState() {
        return new MemoryStateProvider().open(context());
    }

    @Test
    public void eachOpenIsFresh() {
        MemoryStateProvider p = new MemoryStateProvider();
        try (State a = p.open(context())) {
            a.addContainer(ctr("aa", "a"));
            try (State b = p.open(context())) {
                assertTrue(b.allContainers().isEmpty());
            }
        }
    }
}
