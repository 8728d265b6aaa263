package io.jpod.network.cni.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PerNetworkOptions;
import java.util.List;
import org.junit.Test;

public class CniArgsTest {
    @Test
    public void podmansArgsForAnAddressAndAMac() {
        assertNull(CniArgs.of("n", PerNetworkOptions.NONE));
        assertEquals("IgnoreUnknown=1;IP=10.90.0.5", CniArgs.of("n", new PerNetworkOptions(List.of("10.90.0.5"), null)));
        assertEquals("IgnoreUnknown=1;IP=10.90.0.5;MAC=02:42:0a:5a:00:05",
                CniArgs.of("n", new PerNetworkOptions(List.of("10.90.0.5"), "02:42:0A:5A:00:05")));
        assertEquals("IgnoreUnknown=1;MAC=02:00:00:00:00:01",
                CniArgs.of("n", new PerNetworkOptions(List.of(), "02:00:00:00:00:01")));
        assertEquals("10.90.0.5", CniArgs.ip("IgnoreUnknown=1;IP=10.90.0.5;MAC=02:00:00:00:00:01"));
        assertNull(CniArgs.ip("IgnoreUnknown=1;MAC=02:00:00:00:00:01"));
        assertNull(CniArgs.ip(null));
    }

    @Test
    public void nothingThatCouldSmuggleAnotherArgument() {
        for (PerNetworkOptions o : List.of(new PerNetworkOptions(List.of("10.90.0.5;MAC=02:00:00:00:00:01"), null),
                new PerNetworkOptions(List.of(), "02:00:00:00:00:01;IP=10.90.0.9"),
                new PerNetworkOptions(List.of("10.90.0.5", "10.90.0.6"), null))) {
            try {
                CniArgs.of("n", o);
                fail("passed " + o);
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
            }
        }
    }
}
