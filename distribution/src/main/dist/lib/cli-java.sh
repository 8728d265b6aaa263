# Sourced by bin/jpod and bin/jpod-cli-cache: which JVM runs the command line, with which options, and
# where its class cache is. Sets java, java_feature, cli_opts (array) and cli_cache (the cache file for
# that JVM: an AOT cache on JDK 25 and later, JEP 483/514; else an AppCDS archive).
#
# JAVA_HOME wins; else the newest JDK (17 or later) under /usr/lib/jvm; else java on PATH.

# Sets feature to the feature release of the JDK at $1 (from its release file), or 0; builtins only, no
# subshell, as every command pays for what runs here.
jpod_java_feature() {
    local line version=0
    if [ -f "$1/release" ]; then
        while IFS= read -r line; do
            case "$line" in
                JAVA_VERSION=*) version="${line#JAVA_VERSION=\"}"; version="${version%%[!0-9]*}" ;;
            esac
        done < "$1/release"
    fi
    feature="${version:-0}"
}

java="" java_feature=0
# the newest JDK before 25 too: where the newest has no AOT cache yet, it runs with AppCDS instead
older_java="" older_feature=0
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
    jpod_java_feature "$JAVA_HOME"
    java_feature="$feature"
else
    for candidate in /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        jpod_java_feature "${candidate%/bin/java}"
        [ "$feature" -ge 17 ] || continue
        if [ "$feature" -gt "$java_feature" ]; then
            java="$candidate" java_feature="$feature"
        fi
        if [ "$feature" -lt 25 ] && [ "$feature" -gt "$older_feature" ]; then
            older_java="$candidate" older_feature="$feature"
        fi
    done
    if [ -z "$java" ] && command -v java >/dev/null 2>&1; then
        java="$(readlink -f "$(command -v java)")"
        jpod_java_feature "${java%/bin/java}"
        java_feature="$feature"
    fi
fi

# a short-lived client: no JIT tiers beyond C1, a small heap; -Xlog:disable keeps
# the JVM's own notes (e.g. a cache it cannot use) out of the command's output. The cache is only used
# with the options it was made with, so bin/jpod-cli-cache trains with these too.
# java.locale.providers=SPI: the JDK's root (English) locale data only. The CLI's output does not depend on
# the locale, as podman's does not, and Jetty's MimeTypes lists every available locale when its class is
# initialised: with the CLDR provider that builds over a thousand of them, some 70 ms of every command.
cli_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xlog:disable -Djava.locale.providers=SPI)
jpod_cli_cache_name() {
    if [ "$java_feature" -ge 25 ]; then
        cli_cache="$HOME_DIR/lib/cli-jdk$java_feature.aot"
    else
        cli_cache="$HOME_DIR/lib/cli.jsa"
    fi
}
jpod_cli_cache_name

# true when the cache $1 exists and no jar directly in the directory $2 (a class path) is newer than it;
# the test is bash's own (-nt): a find here cost every command two processes
jpod_cache_fresh() {
    [ -f "$1" ] || return 1
    local jar
    for jar in "$2"/*.jar; do
        if [ "$jar" -nt "$1" ]; then
            return 1
        fi
    done
}

# true when the command line's cache is fresh for lib/cli
jpod_cli_cache_fresh() {
    jpod_cache_fresh "$cli_cache" "$HOME_DIR/lib/cli"
}

# bin/jpod: a JDK of 25 or later starts fast only with its AOT cache, which takes seconds to make (and the
# JVM prints where it wrote it), so without one the command runs on the newest older JDK found, whose
# AppCDS archive is written at a command's exit. JAVA_HOME is always obeyed.
jpod_prefer_cached_java() {
    if [ -z "${JAVA_HOME:-}" ] && [ "$java_feature" -ge 25 ] && [ -n "$older_java" ] && ! jpod_cli_cache_fresh; then
        java="$older_java" java_feature="$older_feature"
        jpod_cli_cache_name
    fi
}
