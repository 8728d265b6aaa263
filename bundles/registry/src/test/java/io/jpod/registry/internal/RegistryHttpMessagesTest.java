package io.jpod.registry.internal;

import static org.junit.Assert.assertEquals;

import javax.net.ssl.SSLHandshakeException;
import org.junit.Test;

/** What a TLS failure says: the deepest cause's words, without Java's class names. */
public class RegistryHttpMessagesTest {

    @Test
    public void aTlsFailureSaysTheDeepestCauseWithoutClassNames() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification"
                + " path to requested target");
        e.initCause(new Exception("sun.security.validator.ValidatorException: PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification"
                + " path to requested target"));
        assertEquals("PKIX path building failed: unable to find valid certification path to requested target",
                RegistryHttp.innermost(e));
    }

    @Test
    public void aCauseWithoutWordsFallsBackToTheOuterMessage() {
        SSLHandshakeException e = new SSLHandshakeException("Remote host terminated the handshake");
        e.initCause(new java.io.EOFException());
        assertEquals("Remote host terminated the handshake", RegistryHttp.innermost(e));
    }
}
