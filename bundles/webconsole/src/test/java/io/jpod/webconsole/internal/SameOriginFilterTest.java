package io.jpod.webconsole.internal;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import org.junit.Test;

public class SameOriginFilterTest {

    @Test
    public void readsPassAlways() {
        assertNull(SameOriginFilter.crossSite("GET", "cross-site", "http://evil.example", "127.0.0.1:8090"));
    }

    @Test
    public void theConsolesOwnFormsPass() {
        assertNull(SameOriginFilter.crossSite("POST", "same-origin", "http://127.0.0.1:8090", "127.0.0.1:8090"));
        assertNull(SameOriginFilter.crossSite("POST", null, null, "127.0.0.1:8090"));
    }

    @Test
    public void otherSitesAreRefused() {
        assertNotNull(SameOriginFilter.crossSite("POST", "cross-site", null, "127.0.0.1:8090"));
        assertNotNull(SameOriginFilter.crossSite("POST", "same-site", "http://127.0.0.1:9999", "127.0.0.1:8090"));
        assertNotNull(SameOriginFilter.crossSite("POST", null, "null", "127.0.0.1:8090"));
        assertNotNull(SameOriginFilter.crossSite("POST", null, "http://localhost:8090", "127.0.0.1:8090"));
    }
}
