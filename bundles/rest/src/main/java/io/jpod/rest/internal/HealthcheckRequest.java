package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateFields.integer;
import static io.jpod.rest.internal.CreateFields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.Healthcheck;
import java.util.List;

/**
 * A create request's healthcheck: Docker's {@code Config.Healthcheck} and libpod's {@code healthconfig} with
 * {@code health_check_on_failure_action}, durations in nanoseconds. {@code Test: ["NONE"]} turns the image's off;
 * no test (or no object) keeps the image's.
 */
final class HealthcheckRequest {
    /** libpod's define.HealthCheckOnFailureAction by number: none, invalid, kill, restart, stop. */
    private static final List<String> ON_FAILURE = List.of("none", "", "kill", "restart", "stop");

    private HealthcheckRequest() {
    }

    /** Docker's: an interval of 0 is the default 30 s; StartInterval (API 1.44) jpod does not support. */
    static Healthcheck docker(JsonNode config) {
        JsonNode h = config.get("Healthcheck");
        if (h == null || h.isNull()) {
            return null;
        }
        String at = "Healthcheck.";
        if (!h.isObject()) {
            throw CreateFields.wrong("Healthcheck", "an object", h);
        }
        if (integer(h, at, "StartInterval", Long.MIN_VALUE, Long.MAX_VALUE, 0) != 0) {
            throw ApiException.badRequest("Healthcheck.StartInterval is not supported: jpod checks at the "
                    + "Interval from the start; leave it out");
        }
        return read(h, at, 0, "none");
    }

    /** libpod's: an interval of 0 is podman's {@code --health-interval disable}, checks on demand only. */
    static Healthcheck libpod(JsonNode body) {
        long action = integer(body, "", "health_check_on_failure_action", 0, ON_FAILURE.size() - 1, 0);
        if (action == 1) {
            throw ApiException.badRequest("health_check_on_failure_action 1 is podman's invalid action: give 0 "
                    + "(none), 2 (kill), 3 (restart) or 4 (stop)");
        }
        JsonNode h = body.get("healthconfig");
        if (h == null || h.isNull()) {
            if (action != 0) {
                throw ApiException.badRequest("health_check_on_failure_action needs a healthconfig: give the "
                        + "healthcheck it acts on");
            }
            return null;
        }
        if (!h.isObject()) {
            throw CreateFields.wrong("healthconfig", "an object", h);
        }
        Healthcheck hc = read(h, "healthconfig.", -1, ON_FAILURE.get((int) action));
        return hc.disabled() ? Healthcheck.NONE : hc;
    }

    private static Healthcheck read(JsonNode h, String at, long zeroInterval, String onFailure) {
        List<String> test = strings(h.get("Test"), at + "Test");
        if (!test.isEmpty() && !List.of("NONE", "CMD", "CMD-SHELL").contains(test.get(0))) {
            throw ApiException.badRequest(at + "Test must begin with NONE, CMD or CMD-SHELL, not \""
                    + shown(test.get(0)) + "\"");
        }
        if (!test.isEmpty() && !test.get(0).equals("NONE") && (test.size() < 2 || test.get(1).isBlank())) {
            throw ApiException.badRequest(at + "Test " + test.get(0) + " needs a command after it");
        }
        if (test.size() == 1 && test.get(0).equals("NONE")) {
            return Healthcheck.NONE;
        }
        long interval = duration(h, at, "Interval"), timeout = duration(h, at, "Timeout"),
                startPeriod = duration(h, at, "StartPeriod");
        int retries = (int) integer(h, at, "Retries", 0, Integer.MAX_VALUE, 0);
        return new Healthcheck(test, interval == 0 ? zeroInterval : interval, timeout, retries, startPeriod,
                onFailure);
    }

    /** Nanoseconds, 0 or at least 1 ms, as Docker checks them. */
    private static long duration(JsonNode h, String at, String field) {
        long v = integer(h, at, field, 0, Long.MAX_VALUE, 0);
        if (v != 0 && v < 1_000_000L) {
            throw ApiException.badRequest(at + field + " " + v + " is less than 1ms: give nanoseconds, 0 for the "
                    + "default");
        }
        return v;
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
