package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.net.URI;
import org.junit.Test;

/** The file name an ADD of a URL gets: the URL's last path segment, never a path of its own. */
public class RemoteSourceTest {
    @Test
    public void theLastSegmentOrNone() throws Exception {
        assertEquals("app.tar.gz", RemoteSource.fileName(new URI("https://example.test/dl/app.tar.gz?v=2")));
        // an encoded slash or dot-dot decodes inside the segment: it names no directory
        assertEquals("..%2Fetc", RemoteSource.fileName(new URI("http://example.test/x/..%252Fetc")));
        assertEquals("b", RemoteSource.fileName(new URI("http://example.test/x/a%2Fb")));
        assertNull(RemoteSource.fileName(new URI("http://example.test/x/%2e%2e")));
        assertNull(RemoteSource.fileName(new URI("http://example.test/x/a%00b")));
        assertNull(RemoteSource.fileName(new URI("http://example.test/")));
        assertNull(RemoteSource.fileName(new URI("http://example.test")));
        assertNull(RemoteSource.fileName(new URI("http://example.test/a/..")));
    }
}
