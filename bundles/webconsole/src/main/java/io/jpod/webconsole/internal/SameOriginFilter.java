package io.jpod.webconsole.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a state-changing request to the console that a browser says comes from another site. The
 * console's own pages (Bundles, Configuration...) take plain POSTs without a token, and a browser
 * sends the console's Basic credentials with a form another site posts; browsers mark such requests
 * with {@code Sec-Fetch-Site} and {@code Origin}, which a page cannot forge. Clients that are not
 * browsers send neither and pass, as they hold the password themselves.
 */
@Component(service = Filter.class, property = {
        "osgi.http.whiteboard.filter.pattern=/*",
        // the console (5) registers on the servlet whiteboard in a context of its own, at /system/console
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)" })
public final class SameOriginFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SameOriginFilter.class);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String why = crossSite(req.getMethod(), req.getHeader("Sec-Fetch-Site"), req.getHeader("Origin"), req.getHeader("Host"));
        if (why != null) {
            LOG.warn("Web Console: refused {} {}: {}", req.getMethod(), req.getRequestURI(), why);
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN, "Refused: " + why);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the request is refused, or null when it may pass. */
    static String crossSite(String method, String fetchSite, String origin, String host) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return null;
        }
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return "the browser says it comes from another site (Sec-Fetch-Site: " + fetchSite + ")";
        }
        if (origin != null) {
            String h = null;
            try {
                URI u = URI.create(origin);
                h = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            } catch (IllegalArgumentException e) {
                // "null" or garbage: not this console
            }
            if (h == null || host == null || !h.equalsIgnoreCase(host)) {
                return "it comes from another origin (" + origin + ")";
            }
        }
        return null;
    }
}
