package io.jpod.registry.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class VerifyingInputStreamTest {
    private static final byte[] DATA = "the blob's bytes".getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = Digests.sha256(DATA);

    @Test
    public void passesMatchingContent() throws IOException {
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(DATA), DIGEST, DATA.length, "r")) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
    }

    @Test
    public void refusesAWrongDigestAtTheEndNamingBoth() {
        byte[] other = DATA.clone();
        other[0] = 'T';
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(other), DIGEST, DATA.length, "r")) {
            in.readAllBytes();
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("expected " + DIGEST)
                    && e.getMessage().contains("got " + Digests.sha256(other)));
        }
    }

    @Test
    public void refusesTooManyBytesAsSoonAsTheyCome() throws IOException {
        byte[] longer = new byte[DATA.length + 100];
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(longer), DIGEST, DATA.length, "r")) {
            byte[] buf = new byte[DATA.length];
            int n = in.readNBytes(buf, 0, buf.length);
            assertTrue(n == DATA.length);
            in.read();
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("longer than its size " + DATA.length));
        }
    }

    @Test
    public void refusesAShortBlob() {
        byte[] shorter = new byte[3];
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(shorter), DIGEST, DATA.length, "r")) {
            in.readAllBytes();
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("shorter than its size"));
        }
    }
}
