package io.jpod.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes a method and a path (without its version prefix) to a handler. Patterns name their parts
 * {@code {id}}; {@code {name*}} matches across slashes, for image names such as {@code localhost/busybox:latest}.
 */
final class Router {

    @FunctionalInterface
    interface Handler {
        void handle(Exchange x) throws Exception;
    }

    record Route(String method, Pattern pattern, List<String> names, Handler handler) {
    }

    record Match(Handler handler, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Percent-decoding of a path part ({@code +} stays a plus, as in paths). */
    static String decode(String part) {
        return part.indexOf('%') < 0 ? part
                : java.net.URLDecoder.decode(part.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    Router add(String method, String template, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder re = new StringBuilder();
        Matcher m = Pattern.compile("\\{(\\w+)(\\*?)}").matcher(template);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(template.substring(last, m.start())));
            re.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        re.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, Pattern.compile(re.toString()), names, handler));
        return this;
    }

    /** The handler, or null; {@code methodMismatch[0]} tells whether the path exists with another method. */
    Match match(String method, String path, boolean[] methodMismatch) {
        for (Route r : routes) {
            Matcher m = r.pattern.matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (!r.method.equals(method) && !("HEAD".equals(method) && "GET".equals(r.method))) {
                methodMismatch[0] = true;
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < r.names.size(); i++) {
                params.put(r.names.get(i), decode(m.group(i + 1)));
            }
            return new Match(r.handler, params);
        }
        return null;
    }
}
