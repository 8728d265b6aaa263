package io.jpod.image.internal;

import io.jpod.api.JpodException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Image references as containers/image's reference package reads them: a name without a registry gets a
 * default one ({@code localhost} for names the user gives to local images, as {@code podman import} and
 * {@code podman tag} do; {@code docker.io} for the RepoTags of a docker-archive, as Docker wrote them), a
 * name without a tag or digest gets {@code :latest}.
 */
final class Names {
    static final String LOCALHOST = "localhost";
    static final String DOCKER_IO = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private Names() {
    }

    /** The full name for {@code ref}, with {@code defaultDomain} when it names no registry. */
    static String normalize(String ref, String defaultDomain) {
        if (ref == null || ref.isBlank()) {
            throw ImageErrors.invalid("an image name cannot be empty");
        }
        String name = ref;
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(ref, "the digest must be sha256: and 64 hex digits");
            }
        }
        String domain;
        String rest;
        int slash = name.indexOf('/');
        String first = slash < 0 ? null : name.substring(0, slash);
        if (first != null && (first.contains(".") || first.contains(":") || first.equals(LOCALHOST))) {
            domain = first.equals("index.docker.io") ? DOCKER_IO : first;
            rest = name.substring(slash + 1);
        } else {
            domain = defaultDomain;
            rest = name;
        }
        String tag = null;
        int colon = tagColon(rest);
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(ref, "invalid tag \"" + tag + "\"");
            }
        }
        if (rest.isEmpty()) {
            throw invalid(ref, "the repository name is empty");
        }
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw invalid(ref, c.equals(c.toLowerCase(java.util.Locale.ROOT))
                        ? "invalid repository name component \"" + c + "\""
                        : "repository name must be lowercase");
            }
        }
        if (domain.equals(DOCKER_IO) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        StringBuilder sb = new StringBuilder(domain).append('/').append(rest);
        if (tag != null) {
            sb.append(':').append(tag);
        } else if (digest == null) {
            sb.append(":latest");
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return sb.toString();
    }

    /** Like {@link #normalize} but null where {@code ref} is no valid reference. */
    static String tryNormalize(String ref, String defaultDomain) {
        try {
            return normalize(ref, defaultDomain);
        } catch (JpodException e) {
            return null;
        }
    }

    /** The full names {@code ref} may mean, as a local name first, then as a Docker Hub one. */
    static List<String> spellings(String ref) {
        List<String> out = new ArrayList<>(2);
        for (String domain : List.of(LOCALHOST, DOCKER_IO)) {
            String n = tryNormalize(ref, domain);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** The name as {@code docker save} writes it in RepoTags: {@code docker.io/library/} dropped. */
    static String familiar(String name) {
        if (name.startsWith("docker.io/library/")) {
            return name.substring("docker.io/library/".length());
        }
        if (name.startsWith("docker.io/")) {
            return name.substring("docker.io/".length());
        }
        return name;
    }

    /** The repository part of a full name (everything before the tag or digest). */
    static String repository(String name) {
        String n = withoutDigest(name);
        int colon = tagColon(n);
        return colon >= 0 ? n.substring(0, colon) : n;
    }

    /** The tag of a name, or null. */
    static String tag(String name) {
        String n = withoutDigest(name);
        int colon = tagColon(n);
        return colon >= 0 ? n.substring(colon + 1) : null;
    }

    private static String withoutDigest(String name) {
        int at = name.indexOf('@');
        return at >= 0 ? name.substring(0, at) : name;
    }

    /** Where the tag starts in a name without digest: a colon after the last slash (one before is a port). */
    private static int tagColon(String n) {
        return n.indexOf(':', n.lastIndexOf('/') + 1);
    }

    private static JpodException invalid(String ref, String why) {
        return ImageErrors.invalid("invalid image reference \"" + ref + "\": " + why);
    }
}
