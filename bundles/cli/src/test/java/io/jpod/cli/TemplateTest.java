package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TemplateTest {
    private static Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", "a074fb68d7dd");
        r.put("Names", "web");
        r.put("Labels", Map.of("b", "2", "a", "1"));
        r.put("Mounts", List.of());
        r.put("Ports", "");
        r.put("ImageID", "cbcc2ca00307");
        r.put("Nested", Map.of("Status", "running"));
        return r;
    }

    @Test
    public void fieldsAndFunctions() {
        assertEquals("web a074fb68d7dd\n", new Template("{{.Names}} {{.ID}}").render(row()));
        assertEquals("map[a:1 b:2] []\n", new Template("{{.Labels}} {{.Mounts}}").render(row()));
        assertEquals("1|2|<no value>\n", new Template("{{.Labels.a}}|{{index .Labels \"b\"}}|{{.Labels.zz}}").render(row()));
        assertEquals("{\"b\":\"2\",\"a\":\"1\"}\n".length(), new Template("{{json .Labels}}").render(row()).length());
        assertEquals("WEB web\n", new Template("{{upper .Names}} {{.Names | lower}}").render(row()));
        assertEquals("running\n", new Template("{{.Nested.Status}}").render(row()));
        assertEquals("a\tb\n", new Template("a\\tb").render(row()));
    }

    @Test
    public void unknownFieldOrFunctionIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Template("{{.Foo}}").render(row()));
        assertTrue(e.getMessage(), e.getMessage().contains("can't evaluate field Foo"));
        e = assertThrows(IllegalArgumentException.class, () -> new Template("{{nope .ID}}").render(row()));
        assertTrue(e.getMessage(), e.getMessage().contains("\"nope\" not defined"));
    }

    @Test
    public void tableHeadersAsPodman() {
        Template t = new Template("table {{.ID}} {{.CreatedAt}}\t{{.ImageID}}\t{{.Names}}");
        assertTrue(t.table);
        assertEquals("CONTAINER ID\tCREATED AT\tIMAGE ID\tNAMES\n", t.header(ContainerCommands.PS_HEADERS));
    }

    @Test
    public void alignsAsGoTabwriterWithPodmanSettings() {
        // minwidth 12, padding 2; the last column is not padded
        String text = "CONTAINER ID\tIMAGE\tNAMES\na074fb68d7dd\tlocalhost/jpodcli-busybox:latest\tweb\n";
        assertEquals("CONTAINER ID  IMAGE                             NAMES\n"
                + "a074fb68d7dd  localhost/jpodcli-busybox:latest  web\n", Template.align(text));
        assertEquals("A           B\n", Template.align("A\tB\n"));
    }

    @Test
    public void goValueFormatting() {
        assertEquals("<nil>", Template.text(null));
        assertEquals("map[]", Template.text(Map.of()));
        assertEquals("[x y]", Template.text(List.of("x", "y")));
    }
}
