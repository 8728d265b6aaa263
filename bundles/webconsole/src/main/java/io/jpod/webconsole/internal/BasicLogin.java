package io.jpod.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BinaryOperator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.spi.SecurityProvider;

/**
 * HTTP Basic authentication for the console (Web Console 5's security provider SPI): the credentials of the
 * {@code Authorization} header go to a check of user and password; without them, or with wrong ones, the
 * answer is 401 with a {@code WWW-Authenticate} challenge, so a browser asks for them.
 */
final class BasicLogin implements SecurityProvider {
    static final String REALM = "OSGi Management Console";
    /** What OSGi's HTTP service spec names the authentication type and user of a request. */
    private static final String AUTH_TYPE = "org.osgi.service.http.authentication.type";
    private static final String REMOTE_USER = "org.osgi.service.http.authentication.remote.user";

    /** (user, password) to the user when both match, else null. */
    private final BinaryOperator<String> check;

    BasicLogin(BinaryOperator<String> check) {
        this.check = check;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String[] credentials = credentials(request.getHeader("Authorization"));
        if (credentials != null) {
            String user = check.apply(credentials[0], credentials[1]);
            if (user != null) {
                request.setAttribute(AUTH_TYPE, HttpServletRequest.BASIC_AUTH);
                request.setAttribute(REMOTE_USER, user);
                return user;
            }
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentLength(0);
        try {
            response.flushBuffer();
        } catch (IOException e) {
            // the client went away; nothing more to tell it
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user != null;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // Basic authentication keeps no session: the browser forgets the credentials itself
    }

    /** User and password of a {@code Basic} header (base64 of UTF-8 {@code user:password}), else null. */
    static String[] credentials(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(space + 1).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
