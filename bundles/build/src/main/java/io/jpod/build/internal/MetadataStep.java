package io.jpod.build.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instructions that change only the image's config (ENV, LABEL, MAINTAINER, CMD, ENTRYPOINT, EXPOSE, VOLUME,
 * USER, STOPSIGNAL, SHELL, HEALTHCHECK, ONBUILD): the stage's state changed and an image without a layer committed,
 * its history line as Docker's classic builder writes it.
 */
final class MetadataStep {
    private final DockerfileBuild build;
    private final StageState s;
    private final Instruction i;

    MetadataStep(DockerfileBuild build, StageState s, Instruction i) {
        this.build = build;
        this.s = s;
        this.i = i;
    }

    private String word(String text) {
        return Words.word(text, build.escape(), s::variable);
    }

    private List<String> words(String text) {
        return Words.words(text, build.escape(), s::variable);
    }

    void run() {
        List<String> changeList = new ArrayList<>();
        String shown = i.keyword() + " " + i.text();
        switch (i.keyword()) {
            case "ENV" -> {
                Map<String, String> kv = pairs();
                s.env.putAll(kv);
                shown = "ENV " + joinPairs(kv);
            }
            case "LABEL" -> {
                Map<String, String> kv = pairs();
                s.labels.putAll(kv);
                shown = "LABEL " + joinPairs(kv);
            }
            case "MAINTAINER" -> s.author = word(i.text());
            case "CMD" -> {
                s.cmd = command();
                s.cmdSetHere = true;
                shown = "CMD " + json(s.cmd);
            }
            case "ENTRYPOINT" -> {
                s.entrypoint = command();
                if (!s.cmdSetHere) {
                    // an ENTRYPOINT resets the CMD the base image gave
                    s.cmd = List.of();
                }
                shown = "ENTRYPOINT " + json(s.entrypoint);
            }
            case "EXPOSE" -> {
                List<String> ports = new ArrayList<>();
                for (String p : words(i.text())) {
                    ports.addAll(ports(p, i.line()));
                }
                s.exposedPorts.addAll(ports);
                shown = "EXPOSE " + String.join(" ", new TreeSet<>(ports));
            }
            case "VOLUME" -> {
                List<String> vols = i.json() ? i.args().stream().map(this::word).toList() : words(i.text());
                for (String v : vols) {
                    if (v.isBlank()) {
                        throw DockerfileException.at(i.line(), "VOLUME specified can not be an empty string");
                    }
                    s.volumes.add(v);
                }
                shown = "VOLUME " + json(vols);
            }
            case "USER" -> {
                s.user = word(i.text());
                shown = "USER " + s.user;
            }
            case "STOPSIGNAL" -> {
                s.stopSignal = word(i.text());
                shown = "STOPSIGNAL " + s.stopSignal;
            }
            case "SHELL" -> {
                s.shell = List.copyOf(i.args());
                changeList.add("SHELL " + realJson(s.shell));
                shown = "SHELL " + json(s.shell);
            }
            case "HEALTHCHECK" -> {
                changeList.add(healthcheck());
                shown = changeList.get(0);
            }
            case "ONBUILD" -> {
                s.onBuild.add(i.text());
                shown = "ONBUILD " + i.text();
            }
            default -> throw DockerfileException.at(i.line(), "unknown instruction: " + i.keyword());
        }
        String createdBy = "/bin/sh -c #(nop)  " + shown;
        String key = BuildCache.key(s.imageId, createdBy, s.cacheText(), String.join("\0", changeList));
        if (!build.cached(s, key)) {
            build.commit(s, null, changeList, createdBy, key);
        }
    }

    private String healthcheck() {
        StringBuilder sb = new StringBuilder("HEALTHCHECK");
        i.flags().forEach((k, v) -> sb.append(" --").append(k).append('=').append(v));
        String rest = i.text().strip();
        if (!rest.equalsIgnoreCase("NONE")) {
            String[] parts = rest.split("\\s+", 2);
            if (!parts[0].equalsIgnoreCase("CMD") || parts.length < 2) {
                throw DockerfileException.at(i.line(), "HEALTHCHECK takes NONE or CMD followed by the command, "
                        + "such as HEALTHCHECK CMD wget -q -O- localhost");
            }
        } else if (!i.flags().isEmpty()) {
            throw DockerfileException.at(i.line(), "HEALTHCHECK NONE takes no flags");
        }
        return sb.append(' ').append(rest).toString();
    }

    private List<String> command() {
        if (i.json()) {
            return List.copyOf(i.args());
        }
        List<String> out = new ArrayList<>(s.shell);
        out.add(i.text());
        return out;
    }

    private Map<String, String> pairs() {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> raw = Words.rawWords(i.text(), build.escape());
        if (raw.isEmpty()) {
            throw DockerfileException.at(i.line(), i.keyword() + " requires at least one argument");
        }
        if (!raw.get(0).contains("=")) {
            // the old form: NAME the rest of the line
            String text = i.text().strip();
            int sp = text.indexOf(' ') < 0 ? text.indexOf('\t') : text.indexOf(' ');
            if (sp < 0) {
                throw DockerfileException.at(i.line(), i.keyword() + " " + text + ": give a value, as " + i.keyword()
                        + " NAME=VALUE");
            }
            out.put(word(text.substring(0, sp)), word(text.substring(sp + 1).strip()));
            return out;
        }
        for (String r : raw) {
            int eq = r.indexOf('=');
            if (eq < 0) {
                throw DockerfileException.at(i.line(), "Syntax error - can't find = in \"" + r + "\". Must be of the "
                        + "form: name=value");
            }
            String name = word(r.substring(0, eq));
            if (name.isEmpty()) {
                throw DockerfileException.at(i.line(), i.keyword() + " names can not be blank");
            }
            out.put(name, word(r.substring(eq + 1)));
        }
        return out;
    }

    private static String joinPairs(Map<String, String> kv) {
        StringBuilder sb = new StringBuilder();
        kv.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String realJson(List<String> l) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(l);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A list as Docker's history shows it: {@code ["a" "b"]}. */
    static String json(List<String> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int n = 0; n < l.size(); n++) {
            sb.append(n == 0 ? "" : " ").append('"').append(l.get(n).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append(']').toString();
    }

    private static List<String> ports(String p, int line) {
        String proto = "tcp";
        int slash = p.indexOf('/');
        String num = p;
        if (slash >= 0) {
            proto = p.substring(slash + 1).toLowerCase(Locale.ROOT);
            num = p.substring(0, slash);
        }
        if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
            throw DockerfileException.at(line, "invalid proto: " + proto);
        }
        int dash = num.indexOf('-');
        try {
            int lo = Integer.parseInt(dash < 0 ? num : num.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(num.substring(dash + 1));
            if (lo < 1 || hi > 65535 || hi < lo) {
                throw new NumberFormatException();
            }
            List<String> out = new ArrayList<>();
            for (int n = lo; n <= hi; n++) {
                out.add(n + "/" + proto);
            }
            return out;
        } catch (NumberFormatException e) {
            throw DockerfileException.at(line, "invalid containerPort: " + num);
        }
    }
}
