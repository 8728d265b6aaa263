package io.jpod.config.internal;

import org.junit.Test;

import static org.junit.Assert.assertEquals;

public class SizesTest {

    @Test
    public void decimalUnitsAsPodman() {
        assertEquals(0, Sizes.parse("0"));
        assertEquals(123, Sizes.parse("123"));
        assertEquals(123, Sizes.parse("123b"));
        assertEquals(1_000, Sizes.parse("1k"));
        assertEquals(1_000, Sizes.parse("1KB"));
        assertEquals(1_000, Sizes.parse("1kib"));
        assertEquals(1_000_000, Sizes.parse("1m"));
        assertEquals(10_000_000, Sizes.parse("10MB"));
        assertEquals(1_500_000, Sizes.parse("1.5m"));
        assertEquals(2_000_000_000L, Sizes.parse("2g"));
        assertEquals(3_000_000_000_000L, Sizes.parse("3T"));
        assertEquals(1_000_000_000_000_000L, Sizes.parse("1p"));
        assertEquals(7_000_000, Sizes.parse(" 7 m "));
        assertEquals(500, Sizes.parse(".5k"));
    }

    @Test
    public void notSizes() {
        for (String s : new String[] {"", "m", "-1", "1x", "1mbb", "1bb", "1mi", "1 2", "abc", "99999999p", "1e3"}) {
            assertEquals(s, -1, Sizes.parse(s));
        }
    }
}
