package io.jpod.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import org.junit.Test;

public class ReferenceParserTest {
    private static final String D = "sha256:" + "a".repeat(64);

    private static void ok(String in, String out) {
        assertEquals(in, out, ReferenceParser.parse(in).toString());
    }

    private static void bad(String in, String part) {
        try {
            ReferenceParser.parse(in);
            fail(in + " parsed");
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(part));
        }
    }

    @Test
    public void normalisesAsDocker() {
        ok("busybox", "docker.io/library/busybox:latest");
        ok("busybox:1.36", "docker.io/library/busybox:1.36");
        ok("library/busybox", "docker.io/library/busybox:latest");
        ok("user/app:v2", "docker.io/user/app:v2");
        ok("index.docker.io/library/busybox", "docker.io/library/busybox:latest");
        ok("docker.io/busybox", "docker.io/library/busybox:latest");
        ok("quay.io/podman/hello", "quay.io/podman/hello:latest");
        ok("localhost/app", "localhost/app:latest");
        ok("localhost:5000/a/b/c:t", "localhost:5000/a/b/c:t");
        ok("127.0.0.1:5000/x", "127.0.0.1:5000/x:latest");
        ok("busybox@" + D, "docker.io/library/busybox@" + D);
        ok("busybox:1@" + D, "docker.io/library/busybox:1@" + D);
        ok("my-reg.example.com:443/a_b/c__d/e-f.g", "my-reg.example.com:443/a_b/c__d/e-f.g:latest");
        assertEquals("library/busybox", ReferenceParser.parse("busybox").repository());
        assertEquals(null, ReferenceParser.parse("busybox@" + D).tag());
        // an upper-case first component is a host, as Docker has it
        ok("Registry/app", "registry/app:latest");
    }

    @Test
    public void aLoginsRegistryAddressIsAHostAndPortOrAClearError() {
        assertEquals("docker.io", ReferenceParser.registryAddress("https://index.docker.io/v1/"));
        assertEquals("127.0.0.1:5000", ReferenceParser.registryAddress(" 127.0.0.1:5000 "));
        assertEquals("registry.example.com", ReferenceParser.registryAddress("http://Registry.Example.com/"));
        for (String bad : new String[] {"https://\r\n/", "a b", "host:port", "-x.example", "https://", "[zz]:1"}) {
            try {
                ReferenceParser.registryAddress(bad);
                fail(bad);
            } catch (JpodException e) {
                assertEquals(bad, ErrorCode.INVALID_ARG, e.code());
                assertTrue(e.getMessage(), e.getMessage().startsWith("invalid registry address \""));
                assertFalse(e.getMessage(), e.getMessage().contains("\r") || e.getMessage().contains("\n"));
            }
        }
    }

    @Test
    public void qualified() {
        assertTrue(ReferenceParser.isQualified("quay.io/a"));
        assertTrue(ReferenceParser.isQualified("localhost/a"));
        assertTrue(ReferenceParser.isQualified("host:5000/a"));
        assertFalse(ReferenceParser.isQualified("busybox"));
        assertFalse(ReferenceParser.isQualified("user/app"));
    }

    @Test
    public void refusesWithTheBadPart() {
        bad("", "empty");
        bad("BusyBox", "must be lowercase");
        bad("docker.io/Library/busybox", "must be lowercase");
        bad("busybox:-x", "the tag \"-x\"");
        bad("busybox:" + "t".repeat(129), "the tag");
        bad("busybox@sha256:abc", "the digest \"sha256:abc\"");
        bad("busybox@md5", "the digest");
        bad("a..b/c", "the registry \"a..b\"");
        bad("host:port/c", "the registry \"host:port\"");
        bad("foo/-bar", "the path component \"-bar\"");
        bad("foo//bar", "the path component \"\"");
        bad("a".repeat(64).replace('a', 'f'), "image ID");
        bad("busy box", "white space");
        bad("quay.io/", "empty");
    }
}
