package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.JpodException;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class DockerfileParserTest {

    private static List<Instruction> parse(String text) {
        return DockerfileParser.parse(text).instructions();
    }

    @Test
    public void instructionsInAnyCaseWithCommentsAndLines() {
        List<Instruction> in = parse("# a comment\n\nfrom busybox AS base\n  Run echo hi\n# another\nCMD [\"sh\"]\n");
        assertEquals(3, in.size());
        assertEquals("FROM", in.get(0).keyword());
        assertEquals(3, in.get(0).line());
        assertEquals("busybox AS base", in.get(0).text());
        assertEquals("RUN", in.get(1).keyword());
        assertEquals(4, in.get(1).line());
        assertFalse(in.get(1).json());
        assertEquals("echo hi", in.get(1).text());
        assertTrue(in.get(2).json());
        assertEquals(List.of("sh"), in.get(2).args());
    }

    @Test
    public void continuationsJoinAndSkipCommentLines() {
        List<Instruction> in = parse("FROM x\nRUN echo a \\\n# inside\n\n    && echo b\nENV A=1");
        assertEquals("RUN", in.get(1).keyword());
        assertEquals("echo a     && echo b", in.get(1).text());
        assertEquals(2, in.get(1).line());
        assertEquals(6, in.get(2).line());
    }

    @Test
    public void escapeDirectiveChangesTheContinuation() {
        Dockerfile df = DockerfileParser.parse("# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo done\n");
        assertEquals('`', df.escape());
        assertEquals("dir c:\\   && echo done", df.instructions().get(1).text());
    }

    @Test
    public void aDirectiveAfterAnInstructionIsAComment() {
        Dockerfile df = DockerfileParser.parse("FROM x\n# escape=`\nRUN a \\\n b");
        assertEquals('\\', df.escape());
        assertEquals("a  b", df.instructions().get(1).text());
    }

    @Test
    public void jsonAndShellForms() {
        List<Instruction> in = parse("FROM x\nENTRYPOINT [\"/bin/echo\", \"a b\"]\nCMD [not json\nRUN [\"a\"] x");
        assertTrue(in.get(1).json());
        assertEquals(List.of("/bin/echo", "a b"), in.get(1).args());
        assertFalse(in.get(2).json());
        assertEquals("[not json", in.get(2).text());
        // trailing text after the array: the shell form
        assertFalse(in.get(3).json());
    }

    @Test
    public void flags() {
        Instruction c = parse("FROM x\nCOPY --from=build --chown=1:2 --chmod=755 a b/").get(1);
        assertEquals(Map.of("from", "build", "chown", "1:2", "chmod", "755"), c.flags());
        assertEquals("a b/", c.text());
        Instruction f = parse("FROM --platform=linux/amd64 busybox").get(0);
        assertEquals("linux/amd64", f.flags().get("platform"));
    }

    @Test
    public void unknownFlagAndInstructionNameTheLine() {
        JpodException e = assertThrows(JpodException.class, () -> parse("FROM x\n\nCOPY --frm=a b c"));
        assertTrue(e.getMessage(), e.getMessage().contains("line 3") && e.getMessage().contains("frm"));
        e = assertThrows(JpodException.class, () -> parse("FROM x\nRUN a\nFOO bar"));
        assertEquals("Dockerfile parse error line 3: unknown instruction: FOO", e.getMessage());
    }

    @Test
    public void missingArgumentsAndShellNeedsJson() {
        JpodException e = assertThrows(JpodException.class, () -> parse("FROM x\nRUN"));
        assertTrue(e.getMessage(), e.getMessage().contains("line 2: RUN requires at least one argument"));
        e = assertThrows(JpodException.class, () -> parse("FROM x\nSHELL /bin/bash -c"));
        assertTrue(e.getMessage(), e.getMessage().contains("line 2") && e.getMessage().contains("JSON"));
        // an empty CMD in the JSON form is allowed
        assertEquals(List.of(), parse("FROM x\nCMD []").get(1).args());
    }

    @Test
    public void onbuildCarriesItsInstruction() {
        Instruction o = parse("FROM x\nONBUILD run echo hi").get(1);
        assertEquals("ONBUILD", o.keyword());
        assertEquals("RUN", o.onBuild().keyword());
        JpodException e = assertThrows(JpodException.class, () -> parse("FROM x\nONBUILD FROM y"));
        assertTrue(e.getMessage(), e.getMessage().contains("isn't allowed"));
    }

    @Test
    public void emptyDockerfileIsRefused() {
        JpodException e = assertThrows(JpodException.class, () -> parse("# nothing\n\n"));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be empty"));
    }
}
