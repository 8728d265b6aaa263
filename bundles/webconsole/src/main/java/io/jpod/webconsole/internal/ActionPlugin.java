package io.jpod.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * A page of jpod's in the Felix Web Console whose buttons act on the engine. The console draws its frame around
 * what GET writes and hands POSTs to the servlet as they are. Every POST carries the session's token (a page of
 * another site cannot know it, though the browser would send the console's credentials along), and answers with a
 * redirect to the page, whose banner says what happened.
 */
abstract class ActionPlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String TOKEN = "io.jpod.webconsole.token";
    private static final String FLASH = "io.jpod.webconsole.flash";
    private static final String FLASH_ERROR = "io.jpod.webconsole.flashError";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String label;
    private final String noun;

    ActionPlugin(String label, String noun) {
        this.label = label;
        this.noun = noun;
    }

    record Outcome(boolean error, String message) {
    }

    /** The last action's outcome, shown once. */
    record Banner(String message, boolean error) {
    }

    /** Runs one action on the named object; every failure becomes a sentence for the page. */
    abstract Outcome act(String verb, String id);

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setCharacterEncoding("UTF-8");
        HttpSession session = req.getSession(false);
        String expected = session == null ? null : (String) session.getAttribute(TOKEN);
        String given = req.getParameter("token");
        if (expected == null || given == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            // a form from another site, or one older than this session: nothing is done
            session = req.getSession(true);
            flash(session, true, "Nothing was done: the form was not sent from this page of this session. Reload the page and try again.");
            redirect(req, resp);
            return;
        }
        String verb = req.getParameter("action");
        String id = req.getParameter("id");
        if (id == null || id.isBlank() || verb == null) {
            flash(session, true, "Nothing was done: the form named no " + noun + " or no action.");
            redirect(req, resp);
            return;
        }
        Outcome o = act(verb, id.strip());
        flash(session, o.error(), o.message());
        redirect(req, resp);
    }

    /** The session's form token, made on its first page. */
    static String token(HttpSession session) {
        String t = (String) session.getAttribute(TOKEN);
        if (t == null) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            session.setAttribute(TOKEN, t);
        }
        return t;
    }

    /** The banner of the last action, taken from the session so that a reload does not show it again. */
    static Banner takeBanner(HttpSession session) {
        String message = (String) session.getAttribute(FLASH);
        boolean error = Boolean.TRUE.equals(session.getAttribute(FLASH_ERROR));
        session.removeAttribute(FLASH);
        session.removeAttribute(FLASH_ERROR);
        return new Banner(message, error);
    }

    private static void flash(HttpSession session, boolean error, String message) {
        session.setAttribute(FLASH, message);
        session.setAttribute(FLASH_ERROR, error);
    }

    static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String shortName(String id) {
        return id.length() == 64 ? Page.shortId(id) : id;
    }

    /** The page's own path: the console tells its plugins where they live. */
    String action(HttpServletRequest req) {
        Object root = req.getAttribute("felix.webconsole.pluginRoot");
        return root != null ? root.toString() : req.getContextPath() + req.getServletPath() + "/" + label;
    }

    private void redirect(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", action(req));
    }
}
