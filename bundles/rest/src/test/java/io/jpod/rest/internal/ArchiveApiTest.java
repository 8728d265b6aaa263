package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ContainerFiles.PathStat;
import java.time.Instant;
import java.util.Base64;
import org.junit.Test;

/** The stat header as docker's CLI and podman's client decode it, the mode as Go's os.FileMode. */
public class ArchiveApiTest {
    private final ArchiveApi api = new ArchiveApi(null);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    public void modesAreGosFileModes() {
        assertEquals(0644, ArchiveApi.goFileMode(0100644));
        assertEquals((1L << 31) | 0755, ArchiveApi.goFileMode(040755));
        assertEquals((1L << 27) | 0777, ArchiveApi.goFileMode(0120777));
        assertEquals((1L << 26) | (1L << 21) | 0666, ArchiveApi.goFileMode(020666));
        assertEquals((1L << 26) | 0660, ArchiveApi.goFileMode(060660));
        assertEquals((1L << 25) | 0600, ArchiveApi.goFileMode(010600));
        assertEquals((1L << 23) | 0755, ArchiveApi.goFileMode(0104755));
        assertEquals((1L << 31) | (1L << 22) | (1L << 20) | 0777, ArchiveApi.goFileMode(043777));
    }

    @Test
    public void dockersHeaderNamesTheLinkAndItsTarget() throws Exception {
        PathStat link = new PathStat("up", 9, 0120777, Instant.parse("2024-05-06T07:08:09.5Z"), "/etc", "/etc", true);
        JsonNode d = json.readTree(Base64.getDecoder().decode(api.header(link, false)));
        assertEquals("up", d.get("name").asText());
        assertEquals("/etc", d.get("linkTarget").asText());
        assertEquals((1L << 27) | 0777, d.get("mode").asLong());
        assertEquals("2024-05-06T07:08:09.500Z", d.get("mtime").asText());
        assertEquals(9, d.get("size").asLong());
        assertEquals(false, d.has("isDir"));
    }

    @Test
    public void podmansHeaderNamesTheResolvedPathInTheUrlAlphabet() throws Exception {
        PathStat link = new PathStat("up", 9, 0120777, Instant.EPOCH, "/etc", "/etc", true);
        String h = api.header(link, true);
        JsonNode p = json.readTree(Base64.getUrlDecoder().decode(h));
        assertEquals("etc", p.get("name").asText());
        assertEquals("/etc", p.get("linkTarget").asText());
        assertEquals(true, p.get("isDir").asBoolean());
        PathStat file = new PathStat("f", 1, 0100644, Instant.EPOCH, "", "/d/f", false);
        JsonNode f = json.readTree(Base64.getUrlDecoder().decode(api.header(file, true)));
        assertEquals("/d/f", f.get("linkTarget").asText());
        assertEquals(false, f.get("isDir").asBoolean());
        assertEquals("d", ArchiveApi.base("/a/d/"));
        assertEquals("/", ArchiveApi.base("/"));
        assertEquals(".", ArchiveApi.base("/a/."));
    }
}
