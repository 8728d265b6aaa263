package io.jpod.registry.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.ImageReference;
import io.jpod.util.internal.Printable;
import java.util.regex.Pattern;

/**
 * Docker's reference grammar and normalisation (distribution/reference's {@code ParseNormalizedNamed}):
 * {@code busybox} is {@code docker.io/library/busybox:latest}, {@code index.docker.io} is {@code docker.io}; the
 * first component is a registry when it has a '.' or a ':' or is {@code localhost}.
 */
public final class ReferenceParser {
    public static final String DOCKER_IO = "docker.io";
    private static final int NAME_MAX = 255;
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "|\\[[0-9a-fA-F:.]+\\]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    private ReferenceParser() {
    }

    /** The parts of a reference as written, before normalisation: registry null when the name has none. */
    record Parts(String registry, String path, String tag, String digest) {
    }

    /** Parses and normalises {@code ref} as Docker does. */
    public static ImageReference parse(String ref) {
        Parts p = split(ref);
        String registry = p.registry() == null ? DOCKER_IO : p.registry();
        return normalise(registry, p.path(), p.tag(), p.digest());
    }

    /** Whether {@code ref} is a valid reference that names its registry. */
    static boolean isQualifiedSafe(String ref) {
        try {
            return split(ref).registry() != null;
        } catch (JpodException e) {
            return false;
        }
    }

    /** Whether {@code ref} names its registry (else it is a short name for registries.conf's search). */
    public static boolean isQualified(String ref) {
        return split(ref).registry() != null;
    }

    /** {@code registry}/{@code path} as Docker normalises it, with {@code latest} when neither tag nor digest. */
    static ImageReference normalise(String registry, String path, String tag, String digest) {
        String reg = normaliseRegistry(registry);
        String repo = path;
        if (reg.equals(DOCKER_IO) && repo.indexOf('/') < 0) {
            repo = "library/" + repo;
        }
        return new ImageReference(reg, repo, tag == null && digest == null ? "latest" : tag, digest);
    }

    /** {@code index.docker.io} and {@code registry-1.docker.io} are {@code docker.io}; host names are lower case. */
    public static String normaliseRegistry(String registry) {
        String r = registry;
        if (r.startsWith("https://")) {
            r = r.substring(8);
        } else if (r.startsWith("http://")) {
            r = r.substring(7);
        }
        int slash = r.indexOf('/');
        if (slash >= 0) {
            r = r.substring(0, slash); // https://index.docker.io/v1/, Docker's config.json key
        }
        r = r.toLowerCase(java.util.Locale.ROOT);
        if (r.equals("index.docker.io") || r.equals("registry-1.docker.io")) {
            return DOCKER_IO;
        }
        return r;
    }

    /** Splits and checks {@code ref}'s grammar; every failure is an INVALID_ARG naming the bad part. */
    static Parts split(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw bad(ref, "the reference is empty");
        }
        if (ref.length() > 4096 || ref.chars().anyMatch(c -> c <= ' ')) {
            throw bad(ref, "it contains white space or control characters");
        }
        String rest = ref;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            checkDigest(ref, digest);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(ref, "the tag \"" + tag + "\" is not valid (letters, digits, '_', '.', '-', at most 128,"
                        + " not starting with '.' or '-')");
            }
        }
        if (rest.isEmpty()) {
            throw bad(ref, "the repository name is empty");
        }
        String registry = null;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase(java.util.Locale.ROOT))) {
                registry = first;
                path = rest.substring(slash + 1);
                checkRegistry(ref, registry);
            }
        }
        if (path.isEmpty()) {
            throw bad(ref, "the repository name is empty");
        }
        if (registry == null && HEX64.matcher(path).matches()) {
            throw bad(ref, "a 64-character hexadecimal string is an image ID, not a repository name");
        }
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                if (COMPONENT.matcher(c.toLowerCase(java.util.Locale.ROOT)).matches()) {
                    throw bad(ref, "the repository name \"" + path + "\" must be lowercase");
                }
                throw bad(ref, "the path component \"" + c + "\" of the repository name is not valid (lower-case"
                        + " letters and digits, separated by '.', '_', '__' or '-')");
            }
        }
        if ((registry == null ? 0 : registry.length() + 1) + path.length() > NAME_MAX) {
            throw bad(ref, "the repository name is longer than " + NAME_MAX + " characters");
        }
        return new Parts(registry, path, tag, digest);
    }

    private static void checkRegistry(String ref, String registry) {
        if (!isHostPort(registry)) {
            throw bad(ref, "the registry \"" + registry + "\" is not a valid host[:port]");
        }
    }

    /**
     * {@link #normaliseRegistry} of a registry address a client gives (a login's server address), checked to be
     * a host[:port].
     */
    public static String registryAddress(String address) {
        String reg = normaliseRegistry(address.strip());
        if (!isHostPort(reg)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid registry address " + Printable.quoted(address)
                    + ": give a host name or address with an optional :port, e.g. registry.example.com:5000");
        }
        return reg;
    }

    private static boolean isHostPort(String registry) {
        String host = registry;
        String port = null;
        int colon = registry.lastIndexOf(':');
        if (colon >= 0 && colon > registry.lastIndexOf(']')) {
            host = registry.substring(0, colon);
            port = registry.substring(colon + 1);
        }
        return HOST.matcher(host).matches() && (port == null || PORT.matcher(port).matches());
    }

    static void checkDigest(String ref, String digest) {
        if (!DIGEST.matcher(digest).matches()) {
            throw bad(ref, "the digest \"" + digest + "\" is not valid (algorithm:hex, e.g. sha256:<64 hex digits>)");
        }
        if (digest.startsWith("sha256:") && !HEX64.matcher(digest.substring(7)).matches()) {
            throw bad(ref, "the digest \"" + digest + "\" is not valid: sha256 takes 64 lower-case hex digits");
        }
        if (digest.startsWith("sha512:") && !digest.substring(7).matches("[a-f0-9]{128}")) {
            throw bad(ref, "the digest \"" + digest + "\" is not valid: sha512 takes 128 lower-case hex digits");
        }
    }

    private static JpodException bad(String ref, String why) {
        return new JpodException(ErrorCode.INVALID_ARG, "invalid reference format \"" + ref + "\": " + why);
    }
}
