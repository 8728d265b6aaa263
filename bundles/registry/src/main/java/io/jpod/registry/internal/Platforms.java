package io.jpod.registry.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Platforms as containerd's matcher knows them: the host's (Go's architecture names, the arm variant from
 * /proc/cpuinfo), normalisation ({@code aarch64} is {@code arm64}, whose variant {@code v8} is the default), and
 * the choice of a manifest list's or index's entry: the same OS and architecture, the variant equal or, for arm,
 * the best older one the host runs ({@code v7} runs {@code v6} and {@code v5}); attestations
 * ({@code unknown/unknown}) are never chosen.
 */
public final class Platforms {
    private Platforms() {
    }

    /** The platform this host runs. */
    public static Platform host() {
        String arch = goArch(System.getProperty("os.arch", ""));
        String variant = null;
        if (arch.equals("arm64")) {
            variant = "v8";
        } else if (arch.equals("arm")) {
            variant = armVariant(Path.of("/proc/cpuinfo"));
        }
        return new Platform("linux", arch, variant);
    }

    static String goArch(String javaArch) {
        String a = javaArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "amd64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "armv7l", "armhf", "aarch32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "mips64el" -> "mips64le";
            default -> a;
        };
    }

    static String armVariant(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("CPU architecture")) {
                    String v = line.substring(line.indexOf(':') + 1).trim();
                    return switch (v) {
                        case "8", "AArch64" -> "v8";
                        case "7" -> "v7";
                        case "6" -> "v6";
                        case "5", "5TE", "5TEJ" -> "v5";
                        default -> "v7";
                    };
                }
            }
        } catch (IOException e) {
            // not Linux, or no /proc: the common variant
        }
        return "v7";
    }

    /** os/architecture/variant in containerd's normal form. */
    public static Platform normalise(Platform p) {
        String os = p.os() == null ? "" : p.os().toLowerCase(Locale.ROOT);
        String arch = goArch(p.architecture() == null ? "" : p.architecture());
        String variant = p.variant() == null || p.variant().isEmpty() ? null : p.variant().toLowerCase(Locale.ROOT);
        if (arch.equals("arm64") && (variant == null || variant.equals("8"))) {
            variant = "v8";
        } else if (arch.equals("arm") && variant == null) {
            variant = "v7";
        } else if (arch.equals("arm") && variant.matches("[5-8]")) {
            variant = "v" + variant;
        } else if (arch.equals("amd64") && "v1".equals(variant)) {
            variant = null;
        }
        return new Platform(os, arch, variant);
    }

    /** How well an entry's platform suits {@code want}: higher is better, -1 is not at all. */
    static int score(Platform want, Platform entry) {
        Platform w = normalise(want);
        Platform e = normalise(entry);
        if (!w.os().equals(e.os()) || !w.architecture().equals(e.architecture())) {
            return -1;
        }
        if (w.variant() == null) {
            return e.variant() == null ? 100 : 50;
        }
        if (w.variant().equals(e.variant())) {
            return 100;
        }
        if (e.variant() == null) {
            return 40;
        }
        if (w.architecture().equals("arm") && w.variant().matches("v[5-8]") && e.variant().matches("v[5-8]")) {
            int wv = w.variant().charAt(1) - '0';
            int ev = e.variant().charAt(1) - '0';
            return ev < wv ? 10 + ev : -1;
        }
        return -1;
    }

    /** The entry of a manifest list or index for {@code want}; NO_SUCH_IMAGE naming the platforms it has. */
    static Descriptor select(ImageReference ref, List<Descriptor> entries, Platform want) {
        Descriptor best = null;
        int bestScore = -1;
        List<String> has = new ArrayList<>();
        for (Descriptor d : entries) {
            Platform p = d.platform();
            if (p == null || "unknown".equals(p.os()) || "unknown".equals(p.architecture())) {
                continue;
            }
            has.add(p.toString());
            int s = score(want, p);
            if (s > bestScore) {
                best = d;
                bestScore = s;
            }
        }
        if (best == null) {
            throw new JpodException(ErrorCode.NO_SUCH_IMAGE, "image " + ref + " has no entry for " + normalise(want)
                    + " in its manifest list, it has: " + (has.isEmpty() ? "(none)" : String.join(", ", has))
                    + "; choose one with --platform");
        }
        return best;
    }
}
