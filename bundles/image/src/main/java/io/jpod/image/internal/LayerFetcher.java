package io.jpod.image.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The layers being fetched, one fetch per blob digest however many pulls want it: the first pull to ask
 * downloads it into the spool; the others wait for that download. Each pull gets its own spooled file (a hard
 * link of the downloaded one), which its store keeps or discards; the download itself is removed when the last
 * pull that asked for it has released it, after its store, so that a pull that starts while another stores
 * the layer finds it either in flight or kept, never fetches it twice. A download whose pull failed for another
 * layer's sake is {@linkplain Lease#keep() kept} a while ({@link #KEEP_NANOS}), so that the next pull reuses it.
 */
final class LayerFetcher {
    /** What downloads a blob into the spool. */
    interface Download {
        SpooledLayer run() throws IOException;
    }

    /** How long a whole, verified download of a failed pull waits for the next pull. */
    static final long KEEP_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

    private final ArchiveSpool spool;
    private final Map<String, Flight> flights = new HashMap<>();

    LayerFetcher(ArchiveSpool spool) {
        this.spool = spool;
    }

    private static final class Flight {
        final CompletableFuture<SpooledLayer> result = new CompletableFuture<>();
        int users;
        /** While not 0: kept for a later pull until then (System.nanoTime). */
        long keptUntil;
    }

    /** A pull's hold on a fetched layer; {@link #close()} after the pull stored it (or failed). */
    final class Lease implements AutoCloseable {
        private final String digest;
        private final Flight flight;
        private boolean closed;

        private Lease(String digest, Flight flight) {
            this.digest = digest;
            this.flight = flight;
        }

        /** The pull failed but this layer came whole: keep its download for the next pull. */
        public void keep() {
            synchronized (flights) {
                if (flight.result.isDone() && !flight.result.isCompletedExceptionally()) {
                    flight.keptUntil = System.nanoTime() + KEEP_NANOS;
                }
            }
        }

        @Override
        public void close() {
            synchronized (flights) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--flight.users > 0 || flight.keptUntil != 0) {
                    return;
                }
                if (flights.get(digest) == flight) {
                    flights.remove(digest);
                }
            }
            if (flight.result.isDone() && !flight.result.isCompletedExceptionally()) {
                flight.result.join().discard();
            }
        }
    }

    /** The result of {@link #fetch}: the pull's own spooled copy, and its lease. */
    record Fetched(SpooledLayer layer, Lease lease) {
    }

    /**
     * The blob {@code digest}, downloaded by {@code download} unless another pull is doing it already
     * ({@code waiting} is told then). The caller closes the lease when done.
     */
    Fetched fetch(String digest, Download download, Runnable waiting) throws IOException {
        dropExpired();
        while (true) {
            Flight f;
            boolean owner;
            synchronized (flights) {
                f = flights.get(digest);
                owner = f == null || f.result.isCompletedExceptionally();
                if (owner) {
                    f = new Flight();
                    flights.put(digest, f);
                }
                // a kept download is this pull's now: it goes with this pull unless kept again
                f.keptUntil = 0;
                f.users++;
            }
            Lease lease = new Lease(digest, f);
            try {
                SpooledLayer s;
                if (owner) {
                    try {
                        s = download.run();
                        f.result.complete(s);
                    } catch (IOException | RuntimeException | Error e) {
                        f.result.completeExceptionally(e);
                        throw e;
                    }
                } else {
                    waiting.run();
                    try {
                        s = f.result.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while another pull fetched " + digest);
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof InterruptedIOException && !Thread.currentThread().isInterrupted()) {
                            // the pull that fetched it gave up (another of its layers failed): fetch it here
                            lease.close();
                            continue;
                        }
                        if (c instanceof IOException io) {
                            throw new IOException(io.getMessage(), io);
                        }
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IOException(String.valueOf(c), c);
                    }
                }
                return new Fetched(spool.link(s.file(), s.diffId()), lease);
            } catch (IOException | RuntimeException | Error e) {
                lease.close();
                throw e;
            }
        }
    }

    /** Discards the kept downloads no pull came back for in time. */
    private void dropExpired() {
        java.util.List<SpooledLayer> gone = new java.util.ArrayList<>();
        synchronized (flights) {
            long now = System.nanoTime();
            flights.values().removeIf(f -> {
                boolean expired = f.keptUntil != 0 && f.users == 0 && now - f.keptUntil > 0;
                if (expired) {
                    gone.add(f.result.join());
                }
                return expired;
            });
        }
        gone.forEach(SpooledLayer::discard);
    }
}
