package io.jpod.bench.jmh;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;

import io.jpod.spi.state.StateProvider;
import io.jpod.state.mapdb.internal.MapdbStateProvider;
import io.jpod.state.memory.internal.MemoryStateProvider;
import io.jpod.state.sqlite.internal.SqliteStateProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state backends, as the engine calls them: with {@code containers} stored, add (+ remove, so the size
 * stays put), lookup by name, list all, and update (save a changed state). Every mutation of {@code mapdb}
 * and {@code sqlite} is durable when it returns (a commit per call; sqlite's one transaction with the WAL
 * fsync'd), {@code memory} keeps maps only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class StateBench {
    @Param({"memory", "mapdb", "sqlite"})
    public String backend;

    @Param({"10", "10000"})
    public int containers;

    private Path dir;
    private io.jpod.spi.state.State state;
    private Container[] stored;
    private Container[] running;
    private long next;

    @Setup(Level.Trial)
    public void open() {
        dir = Fixtures.tempDir("state-" + backend);
        StateProvider provider = switch (backend) {
            case "mapdb" -> new MapdbStateProvider();
            case "sqlite" -> new SqliteStateProvider();
            default -> new MemoryStateProvider();
        };
        state = provider.open(Fixtures.context(backend, dir, 2048));
        stored = new Container[containers];
        running = new Container[containers];
        for (int i = 0; i < containers; i++) {
            stored[i] = Fixtures.container(i);
            state.addContainer(stored[i]);
            running[i] = new Container(stored[i].config(), stored[i].state().withStatus(ContainerStatus.RUNNING)
                    .withProcess(1000 + i, 900 + i).withStarted(Instant.parse("2026-11-28T19:00:01Z")));
        }
        next = 1_000_000_000L;
    }

    @TearDown(Level.Trial)
    public void close() {
        state.close();
        Fixtures.delete(dir);
    }

    @Benchmark
    public void addRemove() {
        Container c = Fixtures.container(next++);
        state.addContainer(c);
        state.removeContainer(c.id());
    }

    @Benchmark
    public Container lookupByName() {
        return state.lookupContainer("bench_" + ThreadLocalRandom.current().nextInt(containers));
    }

    @Benchmark
    public List<Container> list() {
        return state.allContainers();
    }

    @Benchmark
    public void update() {
        int i = ThreadLocalRandom.current().nextInt(containers);
        // alternate between created and running, as start and exit do
        Container c = state.container(stored[i].id()).state().status() == ContainerStatus.RUNNING ? stored[i] : running[i];
        state.saveContainer(c);
    }
}
