package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The service killed with SIGKILL in the middle of a burst of creates (containers, volumes) and pulls from a
 * real registry: after it starts again, everything it answered 201/200 for is there and usable, and the state
 * still lists, creates and removes.
 */
public class CrashDurabilityIT extends ClientTestSupport {
    private static final int CREATORS = 3;
    private static final int IMAGES = 4;

    private static LocalRegistry registry;
    private static Path work;

    @BeforeClass
    public static void startRegistry() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", LocalRegistry.available());
        work = Files.createTempDirectory("jpod-crash-it-");
        registry = LocalRegistry.start(work.resolve("registry"), null, null);
        for (int i = 0; i < IMAGES; i++) {
            LocalRegistry.Image image = LocalRegistry.write(work.resolve("layout-" + i), "v1",
                    jpod.home.resolve("etc/busybox.tar"), "crash-" + i);
            registry.put(image, "crash" + i + "/bb:v1", null);
        }
    }

    @AfterClass
    public static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (work != null) {
            LocalRegistry.run(List.of("rm", "-rf", work.toString()));
        }
    }

    /** One API call by curl: the status code (0 when the service was gone) and the body. */
    private static Result call(String method, String path, String body) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "120", "-o", "-", "-w",
                "\n%{http_code}", "--unix-socket", jpod.socket.toString(), "-X", method,
                "-H", "Content-Type: application/json"));
        if (body != null) {
            cmd.addAll(List.of("--data-binary", body));
        }
        cmd.add("http://d/v1.41" + path);
        Result r = jpod.run(cmd, 180);
        String out = r.out();
        int nl = out.lastIndexOf('\n');
        String code = nl < 0 ? out : out.substring(nl + 1);
        return new Result(code.matches("\\d{3}") ? Integer.parseInt(code) : 0, nl < 0 ? "" : out.substring(0, nl),
                r.err());
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r, "burst");
        t.start();
        return t;
    }

    @Test
    public void whatWasAnsweredSurvivesAKillDuringABurstOfCreatesAndPulls() throws Exception {
        Map<String, String> containers = new ConcurrentHashMap<>(); // name -> ID, answered 201
        Map<String, Boolean> volumes = new ConcurrentHashMap<>();
        Map<String, Boolean> images = new ConcurrentHashMap<>(); // pulls whose stream ended in success
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch enough = new CountDownLatch(CREATORS * 8 + 1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CREATORS; t++) {
            int creator = t;
            threads.add(started(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        String name = "crash-" + creator + "-" + i;
                        Result r = call("POST", "/containers/create?name=" + name,
                                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"Labels\":{\"burst\":\"" + i + "\"}}");
                        if (r.code() == 201) {
                            containers.put(name, LocalRegistry.JSON.readTree(r.out()).path("Id").asText());
                            enough.countDown();
                        }
                        if (i % 4 == 0) {
                            String vol = "crashvol-" + creator + "-" + i;
                            if (call("POST", "/volumes/create", "{\"Name\":\"" + vol + "\"}").code() == 201) {
                                volumes.put(vol, true);
                            }
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
        }
        threads.add(started(() -> {
            for (int i = 0; i < IMAGES && running.get(); i++) {
                try {
                    String ref = registry.address() + "/crash" + i + "/bb";
                    Result r = call("POST", "/images/create?fromImage=" + ref + "&tag=v1", null);
                    if (r.code() == 200 && r.out().contains("Downloaded newer image for")
                            && !r.out().contains("\"error\"")) {
                        images.put(ref + ":v1", true);
                        enough.countDown();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }));
        assertTrue("the burst got going: " + containers.size() + " creates, " + images.size() + " pulls",
                enough.await(180, TimeUnit.SECONDS));
        jpod.crash();
        running.set(false);
        System.out.printf("killed after %d creates, %d volumes, %d pulls answered%n", containers.size(),
                volumes.size(), images.size());
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(200));
        }
        jpod.startService();

        for (Map.Entry<String, String> c : containers.entrySet()) {
            Result r = call("GET", "/containers/" + c.getKey() + "/json", null);
            assertEquals("container " + c.getKey() + " was answered 201: " + r, 200, r.code());
            JsonNode inspect = LocalRegistry.JSON.readTree(r.out());
            assertEquals(c.getValue(), inspect.path("Id").asText());
            assertEquals("/" + c.getKey(), inspect.path("Name").asText());
        }
        for (String v : volumes.keySet()) {
            assertEquals("volume " + v + " was answered 201", 200, call("GET", "/volumes/" + v, null).code());
        }
        for (String ref : images.keySet()) {
            assertEquals("image " + ref + " was pulled", 200, call("GET", "/images/" + ref + "/json", null).code());
        }
        // the state is whole: it lists, and what is in it runs and goes
        Result list = call("GET", "/containers/json?all=1", null);
        assertEquals(list.toString(), 200, list.code());
        assertTrue(list.out(), LocalRegistry.JSON.readTree(list.out()).size() >= containers.size());
        String any = containers.keySet().iterator().next();
        assertEquals(0, ok("start", "-a", any).code());
        if (!images.isEmpty()) {
            String ref = images.keySet().iterator().next();
            assertEquals("crash-" + ref.replaceAll(".*/crash(\\d)/.*", "$1"),
                    ok("run", "--rm", "--network", "none", ref, "cat", "/marker").out().strip());
        }
        ok("rm", "-f", any);
        assertEquals(404, call("GET", "/containers/" + any + "/json", null).code());
        for (String v : volumes.keySet()) {
            ok("volume", "rm", v);
        }
    }
}
