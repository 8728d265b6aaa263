package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.registry.SearchResult;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Search: docker's {@code GET /images/search?term=&limit=&filters=} (its JSON: {@code name}, {@code description},
 * {@code star_count}, {@code is_official}, {@code is_automated}) and libpod's {@code GET
 * /libpod/images/search?term=&limit=&listTags=&tlsVerify=&filters=} (podman's {@code Index}, {@code Name},
 * {@code Description}, {@code Stars}, {@code Official}, {@code Automated}, {@code Tag}), over
 * {@code Registries.search}. The filters of both: {@code is-official}, {@code is-automated}, {@code stars}.
 */
final class ImageSearchApi {
    private static final int DOCKER_MAX_LIMIT = 100;

    private final Services services;
    private final Shapes shapes;

    ImageSearchApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/images/search", this::docker);
        libpod.add("GET", "/images/search", this::libpod);
    }

    /** The registry a term names (its first component with a dot, a colon or {@code localhost}), else docker.io. */
    static String registryOf(String term) {
        String t = term == null ? "" : term.strip();
        int slash = t.indexOf('/');
        if (slash > 0) {
            String first = t.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    private List<SearchResult> search(Exchange x, boolean listTags, int limit) {
        String term = x.query("term");
        if (term == null || term.isBlank()) {
            throw ApiException.badRequest("search needs a term: term=NAME, optionally after a registry"
                    + " (term=127.0.0.1:5000/name)");
        }
        Predicate<SearchResult> keep = filters(x);
        return services.registries().search(term, limit, listTags,
                RegistryAuths.options(x, registryOf(term))).stream().filter(keep).toList();
    }

    private void docker(Exchange x) throws IOException {
        long limit = x.longQuery("limit", 25);
        if (limit < 1 || limit > DOCKER_MAX_LIMIT) {
            throw ApiException.badRequest("Limit " + limit + " is outside the range of [1, " + DOCKER_MAX_LIMIT + "]");
        }
        ArrayNode out = shapes.array();
        for (SearchResult r : search(x, false, (int) limit)) {
            ObjectNode o = out.addObject();
            o.put("name", r.index().equals("docker.io") && r.name().startsWith("docker.io/")
                    ? r.name().substring("docker.io/".length()) : r.name());
            o.put("description", r.description());
            o.put("star_count", r.stars());
            o.put("is_official", r.official());
            o.put("is_automated", r.automated());
        }
        x.json(200, out);
    }

    private void libpod(Exchange x) throws IOException {
        long limit = x.longQuery("limit", 0);
        if (limit < 0 || limit > Integer.MAX_VALUE) {
            throw ApiException.badRequest("limit=" + limit + " is not a number of results: give 1 or more");
        }
        ArrayNode out = shapes.array();
        for (SearchResult r : search(x, x.bool("listTags", false) || x.bool("listtags", false) || x.bool("list_tags", false), (int) limit)) {
            ObjectNode o = out.addObject();
            o.put("Index", r.index());
            o.put("Name", r.name());
            o.put("Description", r.description());
            o.put("Stars", r.stars());
            o.put("Official", r.official() ? "[OK]" : "");
            o.put("Automated", r.automated() ? "[OK]" : "");
            o.put("Tag", r.tag() == null ? "" : r.tag());
        }
        x.json(200, out);
    }

    /** The filters both APIs take: is-official, is-automated (true or false), stars (at least this many). */
    private Predicate<SearchResult> filters(Exchange x) {
        JsonNode f = Filters.parse(x.query("filters"), x.json);
        Predicate<SearchResult> p = r -> true;
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String v : Filters.values(e.getValue())) {
                switch (e.getKey()) {
                    case "is-official" -> {
                        boolean want = bool(e.getKey(), v);
                        p = p.and(r -> r.official() == want);
                    }
                    case "is-automated" -> {
                        boolean want = bool(e.getKey(), v);
                        p = p.and(r -> r.automated() == want);
                    }
                    case "stars" -> {
                        int min;
                        try {
                            min = Integer.parseInt(v.strip());
                        } catch (NumberFormatException ex) {
                            throw ApiException.badRequest("invalid filter 'stars=" + v + "': not a number");
                        }
                        p = p.and(r -> r.stars() >= min);
                    }
                    default -> throw ApiException.badRequest("invalid filter '" + e.getKey() + "': search takes"
                            + " is-official, is-automated and stars");
                }
            }
        }
        return p;
    }

    private static boolean bool(String key, String v) {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("invalid filter '" + key + "=" + v + "': give true or false");
        };
    }
}
