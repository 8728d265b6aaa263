package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Test;

/** One download per blob however many pulls want it; each pull gets its own file; the download goes last. */
public class LayerFetcherTest {
    private final List<Path> temps = new ArrayList<>();

    private Path tempDir(String prefix) throws IOException {
        Path p = Files.createTempDirectory(prefix);
        temps.add(p);
        return p;
    }

    @After
    public void removeTemps() throws IOException {
        for (Path p : temps) {
            io.jpod.util.internal.FileTrees.delete(p);
        }
    }


    @Test
    public void concurrentFetchesOfOneDigestDownloadOnce() throws Exception {
        Path tmp = tempDir("jpod-fetcher");
        ArchiveSpool spool = new ArchiveSpool(tmp.resolve("spool"));
        LayerFetcher fetcher = new LayerFetcher(spool);
        AtomicInteger downloads = new AtomicInteger();
        AtomicInteger waits = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        byte[] tar = new byte[4096];
        Arrays.fill(tar, (byte) 7);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LayerFetcher.Fetched>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return fetcher.fetch("sha256:abc", () -> {
                        downloads.incrementAndGet();
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return spool.spool(new ByteArrayInputStream(tar), "layer");
                    }, waits::incrementAndGet);
                }));
            }
            go.countDown();
            List<LayerFetcher.Fetched> got = new ArrayList<>();
            for (Future<LayerFetcher.Fetched> f : fs) {
                got.add(f.get());
            }
            assertEquals(1, downloads.get());
            assertEquals(7, waits.get());
            for (LayerFetcher.Fetched f : got) {
                assertEquals(got.get(0).layer().diffId(), f.layer().diffId());
                assertTrue(Files.isRegularFile(f.layer().file()));
            }
            assertNotEquals("each pull has its own file", got.get(0).layer().file(), got.get(1).layer().file());
            for (LayerFetcher.Fetched f : got) {
                f.layer().discard();
                f.lease().close();
            }
            try (var s = Files.list(tmp.resolve("spool"))) {
                assertEquals("the download is removed with the last lease", 0, s.count());
            }
            // released: a later fetch downloads again
            LayerFetcher.Fetched later = fetcher.fetch("sha256:abc", () -> {
                downloads.incrementAndGet();
                return spool.spool(new ByteArrayInputStream(tar), "layer");
            }, waits::incrementAndGet);
            assertEquals(2, downloads.get());
            later.layer().discard();
            later.lease().close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void aFailedDownloadFailsItsWaitersAndTheNextFetchTriesAgain() throws Exception {
        Path tmp = tempDir("jpod-fetcher");
        ArchiveSpool spool = new ArchiveSpool(tmp.resolve("spool"));
        LayerFetcher fetcher = new LayerFetcher(spool);
        try {
            fetcher.fetch("sha256:bad", () -> {
                throw new IOException("digest mismatch");
            }, () -> {
            });
            throw new AssertionError("fetched");
        } catch (IOException e) {
            assertEquals("digest mismatch", e.getMessage());
        }
        LayerFetcher.Fetched ok = fetcher.fetch("sha256:bad", () -> spool.spool(new ByteArrayInputStream(
                new byte[512]), "layer"), () -> {
                });
        assertFalse(ok.layer().diffId().isEmpty());
        ok.layer().discard();
        ok.lease().close();
    }

    @Test
    public void aWholeLayerOfAFailedPullIsKeptForTheNextAndOnlyThen() throws Exception {
        Path tmp = tempDir("jpod-fetcher");
        ArchiveSpool spool = new ArchiveSpool(tmp.resolve("spool"));
        LayerFetcher fetcher = new LayerFetcher(spool);
        AtomicInteger downloads = new AtomicInteger();
        LayerFetcher.Download layer = () -> {
            downloads.incrementAndGet();
            return spool.spool(new ByteArrayInputStream(new byte[1024]), "layer");
        };
        // a pull that failed for another layer's sake keeps this one
        LayerFetcher.Fetched first = fetcher.fetch("sha256:whole", layer, () -> {
        });
        first.lease().keep();
        first.layer().discard();
        first.lease().close();
        LayerFetcher.Fetched second = fetcher.fetch("sha256:whole", layer, () -> {
        });
        assertEquals("the next pull reuses the kept download", 1, downloads.get());
        second.layer().discard();
        second.lease().close();
        // a pull that stored it keeps nothing: a later one downloads again
        LayerFetcher.Fetched third = fetcher.fetch("sha256:whole", layer, () -> {
        });
        assertEquals(2, downloads.get());
        third.layer().discard();
        third.lease().close();
    }

    @Test
    public void aPushCompressesTheSameLayerToTheSameBlob() throws Exception {
        Path tmp = tempDir("jpod-gzip");
        Path tar = tmp.resolve("layer.tar");
        Files.write(tar, Busybox.rootfs());
        var a = RegistryPush.gzip(tar, tmp.resolve("a.gz"));
        var b = RegistryPush.gzip(tar, tmp.resolve("b.gz"));
        assertEquals(a.digest(), b.digest());
        assertEquals(a.size(), b.size());
        assertEquals(RegistryPush.LAYER_GZIP, a.mediaType());
    }
}
