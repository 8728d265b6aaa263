package io.jpod.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * podman's healthcheck flags of create and run, written into the SpecGenerator's {@code healthconfig} and
 * {@code health_check_on_failure_action} as podman 4.3 writes them (makeHealthCheckFromCli).
 */
final class HealthFlags {
    /** define.HealthCheckOnFailureAction by number; 1 is podman's "invalid". */
    private static final List<String> ACTIONS = List.of("none", "", "kill", "restart", "stop");

    @Option(names = "--health-cmd", description = "set a healthcheck command for the container ('none' disables the existing healthcheck)")
    String cmd;
    @Option(names = "--health-interval", description = "set an interval for the healthchecks (a value of disable results in no automatic timer setup)", defaultValue = "30s")
    String interval;
    @Option(names = "--health-retries", description = "the number of retries allowed before a healthcheck is considered to be unhealthy", defaultValue = "3")
    long retries;
    @Option(names = "--health-timeout", description = "the maximum time allowed to complete the healthcheck before an interval is considered failed", defaultValue = "30s")
    String timeout;
    @Option(names = "--health-start-period", description = "the initialization time needed for a container to bootstrap", defaultValue = "0s")
    String startPeriod;
    @Option(names = "--health-on-failure", description = "action to take once the container turns unhealthy", defaultValue = "none")
    String onFailure;
    @Option(names = "--no-healthcheck", description = "Disable healthchecks on container")
    boolean none;

    void apply(ObjectNode s) {
        if (none && cmd != null && !cmd.isEmpty()) {
            throw new IllegalArgumentException("cannot specify both --no-healthcheck and --health-cmd");
        }
        if (cmd != null && !cmd.isEmpty()) {
            s.set("healthconfig", config());
        } else if (none) {
            s.putObject("healthconfig").putArray("Test").add("NONE");
        }
        int action = ACTIONS.indexOf(onFailure.toLowerCase(Locale.ROOT));
        if (action < 0 || action == 1) {
            throw new IllegalArgumentException("invalid on-failure action \"" + onFailure + "\" for health check: "
                    + "supported actions are none, kill, restart, stop");
        }
        if (action > 0) {
            s.put("health_check_on_failure_action", action);
        }
    }

    private ObjectNode config() {
        List<String> test = new ArrayList<>();
        boolean array = false;
        try {
            JsonNode n = Api.JSON.readTree(cmd);
            if (n != null && n.isArray()) {
                n.forEach(e -> test.add(e.asText()));
                array = true;
            }
        } catch (JsonProcessingException notJson) {
            // a command line, as podman splits it
        }
        if (!array) {
            String[] p = cmd.split(" ", 2);
            test.addAll(List.of(p));
        }
        if (test.isEmpty()) {
            throw new IllegalArgumentException("must define a healthcheck command for all healthchecks");
        }
        String first = test.get(0).toUpperCase(Locale.ROOT);
        List<String> out;
        if (first.equals("CMD") || first.equals("NONE")) {
            out = List.of(cmd.trim().split("\\s+"));
        } else if (!first.equals("CMD-SHELL")) {
            out = array && test.size() > 1 ? prepend("CMD", test) : List.of("CMD-SHELL", String.join(" ", test));
        } else {
            out = test;
        }
        if (out.get(0).equalsIgnoreCase("NONE")) {
            out = List.of("NONE");
        }
        ObjectNode hc = Api.JSON.createObjectNode();
        ArrayNode t = hc.putArray("Test");
        out.forEach(t::add);
        hc.put("Interval", "disable".equals(interval) ? 0 : nanos(interval, "healthcheck-interval"));
        if (retries < 1) {
            throw new IllegalArgumentException("healthcheck-retries must be greater than 0");
        }
        hc.put("Retries", retries);
        long t2 = nanos(timeout, "healthcheck-timeout");
        if (t2 < 1) {
            throw new IllegalArgumentException("healthcheck-timeout must be at least 1 second");
        }
        hc.put("Timeout", t2);
        long sp = nanos(startPeriod, "healthcheck-start-period");
        if (sp < 0) {
            throw new IllegalArgumentException("healthcheck-start-period must be 0 seconds or greater");
        }
        hc.put("StartPeriod", sp);
        return hc;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static long nanos(String text, String flag) {
        try {
            Duration d = Times.goDuration(text);
            return d.toNanos();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid " + flag + ": time: invalid duration \"" + text + "\"");
        }
    }
}
