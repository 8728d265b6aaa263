package io.jpod.rest.internal;

/** API versions as {@code MAJOR.MINOR}. */
final class Versions {
    /** The Docker Engine API version jpod speaks. */
    static final String DOCKER_API = "1.44";
    static final String DOCKER_MIN_API = "1.24";
    /** The libpod API version jpod speaks; podman's clients refuse anything below 4.0.0. */
    static final String LIBPOD_API = "4.3.1";
    /** The Docker Engine release whose API version jpod speaks, for clients that check a release. */
    static final String DOCKER_COMPAT_RELEASE = "25.0.0";

    private Versions() {
    }

    static boolean atLeast(String version, String min) {
        return compare(version, min) >= 0;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
