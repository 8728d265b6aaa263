package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.SearchResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Search as podman's (containers/image's {@code SearchRegistry}): a registry's catalog ({@code GET /v2/_catalog},
 * page after page as its {@code Link} headers lead) filtered by the term; with tags listed, one repository's
 * {@code /v2/<name>/tags/list}; Docker Hub, which serves no catalog, through its {@code /v1/search}. A term with a
 * registry searches that one, a term without one each unqualified-search registry in turn; the limit holds per
 * registry. A registry that answers the catalog with 401, 403, 404 or 405 serves none: a clear INVALID_ARG.
 */
final class CatalogSearch {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogSearch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DEFAULT_LIMIT = 25;
    static final int PAGE = 100;
    static final int MAX_PAGES = 1000;
    private static final int MAX_BODY = 8 << 20;
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    /** A term as written: the registry it names (null for none) and the rest, what names must contain. */
    record Term(String registry, String filter) {
    }

    private final RegistryHttp http;
    private final RegistryClient client;
    private final int pageSize;

    CatalogSearch(RegistryHttp http, RegistryClient client) {
        this(http, client, PAGE);
    }

    /** With {@code pageSize} entries asked for per page ({@code ?n=}). */
    CatalogSearch(RegistryHttp http, RegistryClient client, int pageSize) {
        this.http = http;
        this.client = client;
        this.pageSize = pageSize;
    }

    /** Splits a term as podman does: a first component with a dot, a colon or {@code localhost} is a registry. */
    static Term split(String term) {
        String t = term == null ? "" : term.strip();
        if (t.startsWith("docker://")) {
            t = t.substring("docker://".length());
        }
        if (t.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "search needs a term: what the names to find contain,"
                    + " optionally after a registry (127.0.0.1:5000/name)");
        }
        if (t.chars().anyMatch(c -> c <= ' ')) {
            throw new JpodException(ErrorCode.INVALID_ARG, "search term \"" + term.strip() + "\" contains white"
                    + " space or control characters");
        }
        int slash = t.indexOf('/');
        if (slash > 0) {
            String first = t.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return new Term(ReferenceParser.normaliseRegistry(first), t.substring(slash + 1));
            }
        }
        return new Term(null, t);
    }

    /**
     * The search of {@code term} in the registries: {@code registry} itself when the term names one, else
     * {@code searchRegistries}; {@code target} gives how to reach a registry's repository.
     */
    List<SearchResult> search(String term, int limit, boolean listTags, List<String> searchRegistries,
            Function<ImageReference, RegistryClient.Target> target) {
        if (limit < 0) {
            throw new JpodException(ErrorCode.INVALID_ARG, "search limit " + limit + " is negative: give 1 or more"
                    + " (0 for the default, " + DEFAULT_LIMIT + ")");
        }
        int max = limit == 0 ? DEFAULT_LIMIT : limit;
        Term t = split(term);
        List<String> registries = t.registry() != null ? List.of(t.registry()) : searchRegistries;
        if (registries.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "search of " + t.filter() + ": no"
                    + " unqualified-search-registries are defined in registries.conf; name the registry in the"
                    + " term (e.g. 127.0.0.1:5000/" + t.filter() + ")");
        }
        List<SearchResult> out = new ArrayList<>();
        List<JpodException> errors = new ArrayList<>();
        for (String reg : registries) {
            try {
                if (listTags) {
                    out.addAll(tags(term, reg, t.filter(), max, target));
                } else if (reg.equals(ReferenceParser.DOCKER_IO)) {
                    out.addAll(hub(t.filter(), max, target.apply(new ImageReference(reg, "library", null, null))));
                } else {
                    out.addAll(catalog(reg, t.filter(), max, target.apply(new ImageReference(reg, "_catalog",
                            null, null))));
                }
            } catch (JpodException e) {
                LOG.info("search of {} in {}: {}", t.filter(), reg, e.getMessage());
                errors.add(e);
            }
        }
        if (out.isEmpty() && !errors.isEmpty()) {
            if (errors.size() == 1) {
                throw errors.get(0);
            }
            throw new JpodException(errors.get(0).code(), "search of " + t.filter() + " failed in every registry: "
                    + String.join("; ", errors.stream().map(Throwable::getMessage).toList()), errors.get(0));
        }
        return out;
    }

    private List<SearchResult> catalog(String reg, String filter, int max, RegistryClient.Target t) {
        String want = filter.toLowerCase(Locale.ROOT);
        List<SearchResult> out = new ArrayList<>();
        String next = "v2/_catalog?n=" + pageSize;
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            String at = next;
            HttpResponse<InputStream> r = client.scoped(t, "registry:catalog:*", ep -> HttpRequest.newBuilder(
                    ep.base().resolve(at)).GET());
            int s = r.statusCode();
            if (s == 401 || s == 403 || s == 404 || s == 405) {
                RegistryHttp.discard(r);
                throw new JpodException(ErrorCode.INVALID_ARG, "registry " + reg + " does not serve a catalog: search"
                        + " needs one" + (s == 401 || s == 403 ? " (it answered " + s + " to /v2/_catalog"
                        + (t.creds() == null ? "; if it serves one to its users, run jpod login " + reg : "")
                        + ")" : ""));
            }
            if (s != 200) {
                throw RegistryClient.status(t, r, "catalog", null);
            }
            JsonNode body = read(r, reg, "its catalog");
            JsonNode repos = body.path("repositories");
            if (!repos.isArray()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "registry " + reg + " answered /v2/_catalog without"
                        + " a list of repositories");
            }
            for (JsonNode n : repos) {
                String repo = n.asText("");
                if (!repo.isEmpty() && repo.contains(want)) {
                    out.add(new SearchResult(reg, reg + "/" + repo, "", 0, false, false, null));
                    if (out.size() >= max) {
                        return out;
                    }
                }
            }
            next = nextLink(r);
        }
        return out;
    }

    private List<SearchResult> tags(String term, String reg, String path, int max,
            Function<ImageReference, RegistryClient.Target> target) {
        ReferenceParser.Parts p = ReferenceParser.split(path.isEmpty() ? term : path);
        if (p.tag() != null || p.digest() != null) {
            throw new JpodException(ErrorCode.INVALID_ARG, "search --list-tags of " + term.strip() + ": give the"
                    + " repository without a tag or digest");
        }
        ImageReference ref = ReferenceParser.normalise(reg, p.path(), null, null);
        RegistryClient.Target t = target.apply(ref);
        String name = t.ref().name();
        List<SearchResult> out = new ArrayList<>();
        String next = "v2/" + t.ref().repository() + "/tags/list?n=" + pageSize;
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            String at = next;
            HttpResponse<InputStream> r = client.scoped(t, "repository:" + t.ref().repository() + ":pull",
                    ep -> HttpRequest.newBuilder(ep.base().resolve(at)).GET());
            if (r.statusCode() != 200) {
                throw RegistryClient.status(t, r, "tags", null);
            }
            for (JsonNode n : read(r, reg, "the tags of " + name).path("tags")) {
                out.add(new SearchResult(reg, name, "", 0, false, false, n.asText()));
                if (out.size() >= max) {
                    return out;
                }
            }
            next = nextLink(r);
        }
        return out;
    }

    /** Docker Hub's {@code GET https://index.docker.io/v1/search?q=&n=}: it serves no catalog. */
    private List<SearchResult> hub(String filter, int max, RegistryClient.Target t) {
        URI uri = URI.create("https://index.docker.io/v1/search?q=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + "&n=" + max);
        HttpResponse<InputStream> r = http.send(http.client("index.docker.io", true), ReferenceParser.DOCKER_IO,
                HttpRequest.newBuilder(uri).GET());
        if (r.statusCode() != 200) {
            throw RegistryClient.status(t, r, "search", null);
        }
        List<SearchResult> out = new ArrayList<>();
        for (JsonNode n : read(r, ReferenceParser.DOCKER_IO, "its search").path("results")) {
            String name = n.path("name").asText("");
            out.add(new SearchResult(ReferenceParser.DOCKER_IO, ReferenceParser.DOCKER_IO + "/" + name,
                    n.path("description").asText(""), n.path("star_count").asInt(0),
                    n.path("is_official").asBoolean(false), n.path("is_automated").asBoolean(false), null));
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    private JsonNode read(HttpResponse<InputStream> r, String reg, String what) {
        try {
            return JSON.readTree(RegistryHttp.readLimited(r, MAX_BODY, what + " of registry " + reg));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "registry " + reg + " answered " + what + " with what is"
                    + " not JSON: " + e.getMessage(), e);
        }
    }

    /** The target of the response's {@code Link: <...>; rel="next"}, or null on the last page. */
    static String nextLink(HttpResponse<?> r) {
        for (String v : r.headers().allValues("Link")) {
            Matcher m = NEXT.matcher(v);
            if (m.find() && !m.group(1).isEmpty()) {
                return m.group(1);
            }
        }
        return null;
    }
}
