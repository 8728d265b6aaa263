package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

/** podman's reading of cp's arguments: which side is a container's, and the names a copy takes. */
public class CpCommandTest {
    @Test
    public void aSideIsAContainersWhenANameAndAColonComeFirst() {
        assertEquals(new CpCommand.Side("ctr", "/etc/passwd"), CpCommand.Side.parse("ctr:/etc/passwd"));
        assertEquals(new CpCommand.Side("ctr", "rel/x"), CpCommand.Side.parse("ctr:rel/x"));
        assertNull(CpCommand.Side.parse("/tmp/a:b").container());
        assertNull(CpCommand.Side.parse("./a:b").container());
        assertNull(CpCommand.Side.parse("plain").container());
        assertNull(CpCommand.Side.parse(":x").container());
        assertNull(CpCommand.Side.parse("-").container());
    }

    @Test
    public void parentsAndBasesAsGosFilepath() {
        assertEquals("/tmp", CpCommand.parentOf("/tmp/x"));
        assertEquals("/", CpCommand.parentOf("/x"));
        assertEquals("/a", CpCommand.parentOf("/a/b/"));
        assertEquals(".", CpCommand.parentOf("x"));
        assertEquals("b", CpCommand.baseOf("/a/b/"));
        assertEquals("x", CpCommand.baseOf("x"));
    }
}
