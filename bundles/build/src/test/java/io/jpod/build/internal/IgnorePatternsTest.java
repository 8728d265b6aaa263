package io.jpod.build.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class IgnorePatternsTest {

    @Test
    public void plainNamesExcludeWhatIsBelowThem() {
        IgnorePatterns p = IgnorePatterns.parse("# comment\nnode_modules\n/build\n");
        assertTrue(p.excluded("node_modules"));
        assertTrue(p.excluded("node_modules/x/y.js"));
        assertTrue(p.excluded("build/out"));
        assertFalse(p.excluded("src/node_modules"));
        assertFalse(p.excluded("src/a.js"));
    }

    @Test
    public void starsStayInAComponentAndDoubleStarsCross() {
        IgnorePatterns p = IgnorePatterns.parse("*.log\n**/*.tmp\ndocs/*/draft?.md");
        assertTrue(p.excluded("a.log"));
        assertFalse(p.excluded("sub/a.log"));
        assertTrue(p.excluded("x.tmp"));
        assertTrue(p.excluded("a/b/c/x.tmp"));
        assertTrue(p.excluded("docs/en/draft1.md"));
        assertFalse(p.excluded("docs/en/x/draft1.md"));
        assertFalse(p.excluded("docs/en/draft10.md"));
    }

    @Test
    public void exceptionsAndTheLastMatchWins() {
        IgnorePatterns p = IgnorePatterns.parse("*.md\n!README.md\nREADME-secret.md");
        assertTrue(p.excluded("CHANGES.md"));
        assertFalse(p.excluded("README.md"));
        assertTrue(p.excluded("README-secret.md"));
        IgnorePatterns q = IgnorePatterns.parse("!keep\n*");
        assertTrue(q.excluded("keep"));
        IgnorePatterns r = IgnorePatterns.parse("data\n!data/keep.txt");
        assertTrue(r.excluded("data/other"));
        assertFalse(r.excluded("data/keep.txt"));
        assertTrue(r.hasExceptions());
    }

    @Test
    public void classesEscapesAndCleaning() {
        IgnorePatterns p = IgnorePatterns.parse("file[0-9].txt\nodd\\*name\n./a/../b/c\n");
        assertTrue(p.excluded("file7.txt"));
        assertFalse(p.excluded("filex.txt"));
        assertTrue(p.excluded("odd*name"));
        assertFalse(p.excluded("oddXname"));
        assertTrue(p.excluded("b/c"));
        assertTrue(p.excluded("./b/c/d"));
    }
}
