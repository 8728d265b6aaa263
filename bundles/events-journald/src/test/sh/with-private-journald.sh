#!/bin/sh
# Runs a command (default: this module's tests) with a private systemd-journald, in a mount namespace of
# its own, so that the tests that need a real journal run on a host without one and nothing of the
# host's /run/systemd, /run/log or /var/log/journal is touched. Needs root, unshare(1) and
# /lib/systemd/systemd-journald.  Usage: src/test/sh/with-private-journald.sh [command...]
set -eu
[ $# -gt 0 ] || set -- mvn -B -o -q surefire:test
exec unshare -m sh -c '
set -eu
for d in /run/systemd /run/log /var/log/journal; do mkdir -p "$d"; mount -t tmpfs tmpfs "$d"; done
mkdir -p /run/systemd/journal
/lib/systemd/systemd-journald >/dev/null 2>&1 &
jd=$!
trap "kill $jd 2>/dev/null || true; wait $jd 2>/dev/null || true" EXIT
i=0
while [ ! -S /run/systemd/journal/socket ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
"$@"
' sh "$@"
