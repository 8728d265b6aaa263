#!/usr/bin/env python3
"""jpod's benchmark harness: jpod beside podman and bare runc, in one run. See bench/README.md.

Standard library only. Run through bench/run (which installs what it needs); writes
bench/results/<date>.md and .json. Never fails a build: every figure that cannot be measured is
reported as n/a with the reason, every contender that fails as "failed: <why>".
"""
import argparse
import collections
import datetime
import glob
import gzip
import hashlib
import http.client
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
LABEL = "jpod-bench"
PODMAN_IMAGE = "localhost/jpod-bench-busybox:latest"
JPOD_IMAGE = "localhost/busybox:latest"  # what jpod:run imports etc/busybox.tar as
ULIMITS = ["nofile=1000:1000", "nproc=1000:1000"]
PODMAN = ["podman", "--cgroup-manager", "cgroupfs", "--runtime", "runc"]
API = "/v1.41"  # a Docker API version both jpod (1.24 up) and podman 4.3 (compat) serve
LIBPOD = "/v4.0.0/libpod"  # libpod's API, which both serve (podman 4.3; jpod strips any /vX.Y)
CACHE = os.environ.get("JPOD_BENCH_CACHE", "/var/cache/jpod-bench")  # what reruns need not fetch again
REGISTRY = "/usr/bin/docker-registry"  # Debian's docker-registry (the CNCF distribution registry)
DEBIAN_SUITE = "bookworm"


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- plumbing


def sh(argv, env=None, timeout=300, check=True, input_bytes=None):
    """Runs a command; returns (rc, stdout, stderr) as text. check: raise BenchError on rc != 0."""
    try:
        p = subprocess.run(argv, input=input_bytes, stdin=None if input_bytes is not None else subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(argv[:4])}... timed out after {timeout}s")
    except FileNotFoundError:
        raise BenchError(f"{argv[0]}: not found")
    out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    if check and p.returncode != 0:
        tail = (err.strip() or out.strip())[-300:]
        raise BenchError(f"{os.path.basename(argv[0])} {' '.join(argv[1:3])}... exited {p.returncode}: {tail}")
    return p.returncode, out, err


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.unix_path)
        self.sock = s


class Probe:
    """bench/engine-probe's socket: each `run` is one start-to-exit of `true` through the Engine service, in the
    service's own JVM; answered with the phase times (ns), which are what the row records (no socket in them)."""

    def __init__(self, sock, timeout=120):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(sock)
        self.f = self.s.makefile("rwb")
        self.phases = []

    def run(self):
        self.f.write(b"run\n")
        self.f.flush()
        words = self.f.readline().decode(errors="replace").split()
        if not words or words[0] != "ok":
            raise BenchError("engine probe: " + (" ".join(words) or "no answer")[:300])
        total, *phases = (int(w) / 1e9 for w in words[1:])
        self.phases.append(phases)
        return total

    def close(self):
        try:
            self.f.close()
            self.s.close()
        except OSError:
            pass


class Api:
    """A Docker Engine API client on a unix socket: one keep-alive connection, as an SDK keeps."""

    def __init__(self, sock, timeout=120):
        self.sock, self.timeout, self.conn = sock, timeout, None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def call(self, method, path, body=None, ok=(200, 201, 204), raw=None, parse=True):
        data, headers = None, {}
        if raw is not None:
            data, headers = raw, {"Content-Type": "application/x-tar"}
        elif body is not None:
            data, headers = json.dumps(body).encode(), {"Content-Type": "application/json"}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = UnixHTTPConnection(self.sock, self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                payload = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest, http.client.ResponseNotReady):
                self.close()
                if attempt == 2:
                    raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
        if r.status not in ok:
            raise BenchError(f"{method} {path} answered {r.status}: {payload[:300].decode(errors='replace')}")
        if parse and payload and r.getheader("Content-Type", "").startswith("application/json"):
            return r.status, json.loads(payload)
        return r.status, payload

    def ping(self):
        try:
            st, _ = self.call("GET", "/_ping", ok=(200,))
            return True
        except Exception:
            self.close()
            return False


def host_config(network):
    hc = {"Ulimits": [{"Name": u.split("=")[0], "Soft": int(u.split("=")[1].split(":")[0]),
                       "Hard": int(u.split(":")[1])} for u in ULIMITS]}
    if network == "none":
        hc["NetworkMode"] = "none"
    return hc


def api_create(api, image, network="default"):
    _, r = api.call("POST", f"{API}/containers/create",
                    {"Image": image, "Cmd": ["true"], "Labels": {LABEL: "1"}, "HostConfig": host_config(network)},
                    ok=(201,))
    return r["Id"]


def api_run(api, image, network):
    """docker run --rm without attach: create, start, wait, delete."""
    cid = api_create(api, image, network)
    api.call("POST", f"{API}/containers/{cid}/start", ok=(204,))
    _, w = api.call("POST", f"{API}/containers/{cid}/wait", ok=(200,))
    if isinstance(w, dict) and w.get("StatusCode", 0) != 0:
        raise BenchError(f"container exited {w.get('StatusCode')}: {w}")
    api.call("DELETE", f"{API}/containers/{cid}", ok=(204, 200))


def api_remove_all(sock, threads=10):
    """Removes every container with the bench label, through the API, from `threads` clients."""
    api = Api(sock)
    flt = json.dumps({"label": [f"{LABEL}=1"]})
    _, lst = api.call("GET", f"{API}/containers/json?all=1&filters={urlquote(flt)}", ok=(200,))
    api.close()
    ids = [c["Id"] for c in lst]
    parallel(threads, ids, lambda a, cid: a.call("DELETE", f"{API}/containers/{cid}?force=1", ok=(204, 200, 404)),
             lambda: Api(sock))
    return len(ids)


def urlquote(s):
    import urllib.parse
    return urllib.parse.quote(s, safe="")


def pathquote(s):
    """An image name in a path, as the CLIs send it (its / and : as they are)."""
    import urllib.parse
    return urllib.parse.quote(s, safe="/:@")


def parallel(n, items, fn, make_client=None):
    """fn(client, item) for each item from n threads; the first error is raised."""
    items = list(items)
    lock, errors, idx = threading.Lock(), [], [0]

    def worker():
        client = make_client() if make_client else None
        try:
            while True:
                with lock:
                    if idx[0] >= len(items) or errors:
                        return
                    item = items[idx[0]]
                    idx[0] += 1
                try:
                    fn(client, item)
                except Exception as e:  # noqa: BLE001 - reported
                    with lock:
                        errors.append(e)
                    return
        finally:
            if client is not None and hasattr(client, "close"):
                client.close()

    ts = [threading.Thread(target=worker) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise errors[0] if isinstance(errors[0], BenchError) else BenchError(repr(errors[0]))


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


# ---------------------------------------------------------------- rows and figures


class Row:
    def __init__(self, key, label, unit="s", na=None, podman_ref=None, runc_ref=None, goal=None, extra=False):
        self.key, self.label, self.unit = key, label, unit
        self.samples, self.na, self.error = [], na, None
        self.podman_ref, self.runc_ref = podman_ref, runc_ref
        self.goal = goal  # ("ratio", ref_key, max) or ("abs", max) or None
        self.extra = extra  # beyond the issue's list: context, not a goal row
        self.note = None

    def stats(self):
        s = sorted(self.samples)
        if not s:
            return None
        q = statistics.quantiles(s, n=4, method="inclusive") if len(s) > 1 else [s[0], s[0], s[0]]
        return {"n": len(s), "median": statistics.median(s), "q1": q[0], "q3": q[2], "min": s[0], "max": s[-1],
                "mean": statistics.fmean(s), "stdev": statistics.stdev(s) if len(s) > 1 else 0.0}


class Figure:
    def __init__(self, key, title, what, second="runc"):
        self.key, self.title, self.what, self.rows = key, title, what, []
        self.second = second  # what the rows' runc_ref column divides by: runc, or skopeo for pull and push

    def add(self, row):
        self.rows.append(row)
        return row

    def row(self, key):
        return next((r for r in self.rows if r.key == key), None)


def measure(contenders, warmup, rounds):
    """contenders: [(row, fn)], fn() -> seconds. Warm-up runs, then `rounds` rounds in which every
    contender runs once, the order rotated each round so drift hits all alike."""
    active = [(r, f) for r, f in contenders if r.na is None and r.error is None]
    for _ in range(warmup):
        for row, fn in active:
            if row.error is None:
                try:
                    fn()
                except Exception as e:  # noqa: BLE001 - reported in the row
                    row.error = str(e)[:400]
                    log(f"  {row.key}: failed in warm-up: {row.error}")
    active = [(r, f) for r, f in active if r.error is None]
    for i in range(rounds):
        k = i % len(active) if active else 0
        for row, fn in active[k:] + active[:k]:
            if row.error is not None:
                continue
            try:
                row.samples.append(fn())
            except Exception as e:  # noqa: BLE001
                row.error = str(e)[:400]
                log(f"  {row.key}: failed: {row.error}")
    for row, _ in contenders:
        st = row.stats()
        if st and not row.key.startswith("_"):
            log(f"  {row.key:<28} median {fmt(st['median'], row.unit)}  (n={st['n']})")


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "s":
        return f"{v * 1000:.1f} ms" if v < 10 else f"{v:.2f} s"
    if unit == "MiB":
        return f"{v:.1f} MiB"
    return f"{v:g} {unit}"


# ---------------------------------------------------------------- the run


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.figures = []
        self.notes = []
        self.profiles = []
        self.breakdown = None
        self.jmh = None
        self.procs = []  # services this run started: (name, Popen)
        self.started = datetime.datetime.now(datetime.timezone.utc)
        self.work = tempfile.mkdtemp(prefix="jpod-bench.")
        self.dist = self.find_dist()
        self.dist_source = self.dist
        self.jpod_sock = os.path.join(self.work, "jpod.sock")
        self.podman_sock = os.path.join(self.work, "podman.sock")
        self.jpod = None  # the long-lived jpod service
        self.podman_svc = None
        self.probe = None  # bench/engine-probe's client, once its socket answers
        self.probe_na = "no engine probe: the jpod service was not started"
        self.host_before = {}
        self.podman_imported = False
        self.podman_image_id = None
        self.podman_refs = set()  # the pull figure's image names in podman's store (this run's registry's)
        self.load_before = os.getloadavg()

    # -- counts per mode
    def n(self, what):
        quick = {"start_warm": 1, "start_rounds": 7, "create_rounds": 2, "list_warm": 1, "list_rounds": 5,
                 "svc_rounds": 3, "oneshot_rounds": 2, "hotswap_rounds": 5, "many": 1000,
                 "pull_warm": 1, "pull_rounds": 3, "push_rounds": 3, "cp_rounds": 3, "stats_rounds": 5,
                 "pod_rounds": 3, "build_rounds": 3}
        full = {"start_warm": 3, "start_rounds": 20, "create_rounds": 5, "list_warm": 2, "list_rounds": 15,
                "svc_rounds": 7, "oneshot_rounds": 3, "hotswap_rounds": 11, "many": 1000,
                "pull_warm": 1, "pull_rounds": 9, "push_rounds": 7, "cp_rounds": 9, "stats_rounds": 15,
                "pod_rounds": 7, "build_rounds": 5}
        if what == "many" and self.args.many:
            return self.args.many
        return (quick if self.quick else full)[what]

    def find_dist(self):
        own = os.environ.get("JPOD_BENCH_DIST")  # an install of one's own, which a rebuild of the tree cannot touch
        if own:
            return os.path.abspath(own) if os.access(os.path.join(own, "bin/jpod-service"), os.X_OK) else None
        c = sorted(glob.glob(os.path.join(REPO, "distribution/target/jpod-*/bin/jpod-service")), key=os.path.getmtime)
        return os.path.dirname(os.path.dirname(c[-1])) if c else None

    def have_rest(self):
        return bool(self.dist and glob.glob(os.path.join(self.dist, "system/io/jpod/jpod-rest/*/*.jar")))

    def cli(self):
        p = os.path.join(self.dist or "/nonexistent", "bin/jpod")
        return p if os.access(p, os.X_OK) else None

    # -- setup

    def setup(self):
        w = self.work
        log(f"work directory {w}")
        self.host_before = self.host_state()
        if not self.dist:
            self.notes.append("no distribution/target/jpod-*: build it (mvn -B -o install -DskipTests); every jpod row is n/a")
        else:
            tar = os.path.join(self.dist, "etc/busybox.tar")
            if not os.path.exists(tar):
                sh([os.path.join(self.dist, "bin/jpod-busybox-image")])
            # a private copy of the install: its framework cache (data/) and deploy/ are the harness's own, and
            # a rebuild or another service started from the tree cannot pull the bundles from under the run
            self.dist_source = self.dist
            copy = os.path.join(w, "dist")
            sh(["cp", "-a", self.dist, copy])
            shutil.rmtree(os.path.join(copy, "data"), ignore_errors=True)
            self.dist = copy
            # the command line's class cache for the JVM bin/jpod picks (an install has it from .ci/setup)
            cache_tool = os.path.join(copy, "bin/jpod-cli-cache")
            if os.access(cache_tool, os.X_OK):
                rc, out, err = sh([cache_tool], check=False, timeout=600)
                self.notes.append("the class caches (the CLI's, then on JDK 25 the service's): "
                                  + (", ".join(out.split()) if rc == 0 else f"not made: {err.strip()[:200]}"))
        self.busybox_tar = os.path.join(self.dist, "etc/busybox.tar") if self.dist else None
        if not self.busybox_tar:
            raise BenchError("no etc/busybox.tar: nothing to run")
        with open(os.path.join(w, "jpod.conf"), "w") as f:
            f.write(f"""# the benchmark's private engine: nothing on the host's default paths
[containers]
default_ulimits = [{", ".join('"' + u + '"' for u in ULIMITS)}]
[engine]
static_dir = "{w}/engine"
tmp_dir = "{w}/run"
volume_path = "{w}/volumes"
[network]
network_config_dir = "{w}/networks"
[storage]
graphroot = "{w}/storage"
runroot = "{w}/run/storage"
""")
        # the runc bundle: the same root filesystem, runc's own defaults, podman's limits
        bundle = os.path.join(w, "runc-bundle")
        os.makedirs(os.path.join(bundle, "rootfs"))
        with tarfile.open(self.busybox_tar) as t:
            t.extractall(os.path.join(bundle, "rootfs"), numeric_owner=True)
        sh(["runc", "spec", "--bundle", bundle])
        with open(os.path.join(bundle, "config.json")) as f:
            spec = json.load(f)
        spec["process"]["terminal"] = False
        spec["process"]["args"] = ["true"]
        spec["process"]["rlimits"] = [{"type": "RLIMIT_" + u.split("=")[0].upper(), "soft": 1000, "hard": 1000}
                                      for u in ULIMITS]
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(spec, f)
        self.runc_bundle = bundle
        self.runc_root = os.path.join(w, "runc-root")
        self.runc_n = 0
        # podman: the same tarball, under a name of the harness's own
        out = sh(PODMAN + ["import", "--quiet", self.busybox_tar, PODMAN_IMAGE])[1].strip().splitlines()
        self.podman_image_id = out[-1].strip() if out else None
        self.podman_imported = True
        os.makedirs(os.path.join(w, "docker-config"))

    def host_state(self):
        links = sh(["ip", "-o", "link", "show"], check=False)[1]
        chains = sh(["iptables-save"], check=False)[1]
        return {"jpod0": " jpod0:" in links, "podman0": " podman0:" in links,
                "chains": {l.split()[0][1:] for l in chains.splitlines() if l.startswith(":")}}

    def env_jpod(self, extra_opts=""):
        e = dict(os.environ)
        e["JPOD_CONF"] = os.path.join(self.work, "jpod.conf")
        # the Web Console's TCP port: an ephemeral one, so the private service never collides with another
        e["JAVA_OPTS"] = (f"-Djpod.socket={self.jpod_sock} -Djpod.webconsole.port=0 " + extra_opts + " " + e.get("BENCH_JAVA_OPTS", "")).strip()
        return e

    def env_cli(self):
        e = self.env_jpod()
        e["CONTAINER_HOST"] = "unix://" + self.jpod_sock
        e["JPOD_SOCKET"] = self.jpod_sock
        return e

    def env_docker(self, sock):
        e = dict(os.environ)
        e.update(DOCKER_HOST="unix://" + sock, DOCKER_CONFIG=os.path.join(self.work, "docker-config"),
                 DOCKER_CLI_HINTS="false")
        return e

    # -- services

    def start_jpod(self, tag, extra_opts="", java_home=None):
        """Starts bin/jpod-service on the private config; returns (Popen, t0, stderr path)."""
        err = os.path.join(self.work, f"jpod-service-{tag}.err")
        env = self.env_jpod(extra_opts)
        if java_home:
            env["JAVA_HOME"] = java_home
        t0 = time.perf_counter()
        p = subprocess.Popen([os.path.join(self.dist, "bin/jpod-service")], stdin=subprocess.DEVNULL,
                             stdout=open(os.path.join(self.work, f"jpod-service-{tag}.out"), "w"),
                             stderr=open(err, "w"), env=env)
        self.procs.append(("jpod-service", p))
        return p, t0, err

    def start_podman(self, tag):
        t0 = time.perf_counter()
        p = subprocess.Popen(PODMAN + ["system", "service", "--time=0", "unix://" + self.podman_sock],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(self.work, f"podman-service-{tag}.err"), "w"))
        self.procs.append(("podman system service", p))
        return p, t0

    def stop(self, p, timeout=40):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = [(n, q) for n, q in self.procs if q is not p]

    def wait_ready(self, p, sock, deadline_s, err_path=None, need_api=True):
        """Polls until the API on sock answers /_ping and a container list (engine assembled).
        Returns (t_assembled_log, t_api) as perf_counter times (None when not seen)."""
        api = Api(sock, timeout=5)
        t_log = t_api = None
        end = time.perf_counter() + deadline_s
        while time.perf_counter() < end and p.poll() is None:
            if err_path and t_log is None:
                try:
                    with open(err_path, errors="replace") as f:
                        if "engine assembled:" in f.read():
                            t_log = time.perf_counter()
                except OSError:
                    pass
            if need_api and os.path.exists(sock) and api.ping():
                try:
                    api.call("GET", f"{API}/containers/json?limit=1", ok=(200,))
                    t_api = time.perf_counter()
                    break
                except Exception:  # noqa: BLE001 - not ready yet (503 while assembling)
                    api.close()
            if not need_api and t_log is not None:
                break
            time.sleep(0.01)
        api.close()
        return t_log, t_api

    # -- figures

    def fig_oneshot(self):
        """jpod-service --exec 'jpod:run busybox true': also imports the image into the private store."""
        f = Figure("oneshot", "One-shot `jpod-service --exec 'jpod:run busybox true'` (boots Felix per run)",
                   "The only way to run a container before the API and CLI exist: start the JVM and Felix with every "
                   "bundle, assemble the engine, run `true` on the default bridge network, remove it, stop. Context "
                   "for the service-start figure, not a goal row.")
        self.figures.append(f)
        row = f.add(Row("jpod-oneshot", "jpod-service --exec 'jpod:run busybox true'", extra=True))
        if not self.dist:
            row.na = "no distribution"
            return
        cmd = [os.path.join(self.dist, "bin/jpod-service"), "--exec", "jpod:run busybox true"]
        log("one-shot jpod-service --exec (imports the busybox image into the private store)")
        try:
            sh(cmd, env=self.env_jpod(), timeout=300)  # first: imports the image (not timed)
        except BenchError as e:
            row.error = str(e)
            return
        measure([(row, lambda: timed(lambda: sh(cmd, env=self.env_jpod(), timeout=300)))], 0,
                self.n("oneshot_rounds"))

    def fig_service_start(self):
        f = Figure("service", "Service start to API ready; resident memory idle",
                   "From spawning the service to the first container list answered 200 on its socket "
                   "(`/_ping` and `GET /containers/json`: the engine is assembled). jpod: `bin/jpod-service` "
                   "(JVM + Felix + bundles); podman: `podman system service --time=0`. RSS idle: VmRSS of the "
                   "service 3 s after it is ready, before any container call.")
        self.figures.append(f)
        have_rest = self.have_rest()
        na_api = None if have_rest else "no API: bundles/rest is not in the distribution yet (no jpod-rest in system/)"
        jdk17 = sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*"))
        main_java = self.service_java() if self.dist else ""
        java17 = self.service_java(jdk17[0]) if self.dist and jdk17 else ""
        r_jpod = f.add(Row("jpod-ready", f"jpod-service: start → API ready ({main_java})", na=na_api if self.dist else "no distribution",
                           podman_ref="podman-ready", goal=("abs", 0.4)))
        r_log = f.add(Row("jpod-assembled", "jpod-service: start → `engine assembled` in its log",
                          na=None if self.dist else "no distribution", podman_ref="podman-ready", extra=True))
        r_podman = f.add(Row("podman-ready", "podman system service: start → API ready"))
        m_jpod = f.add(Row("jpod-rss-idle", f"jpod-service RSS, idle ({main_java})", unit="MiB",
                           na=None if self.dist else "no distribution", podman_ref="podman-rss-idle",
                           goal=("abs", 100.0)))
        m_podman = f.add(Row("podman-rss-idle", "podman system service RSS, idle", unit="MiB"))
        na17 = na_api if self.dist else "no distribution"
        if not jdk17:
            na17 = "no JDK 17 under /usr/lib/jvm"
        r_17 = f.add(Row("jpod-ready-17", f"jpod-service: start → API ready ({java17})", na=na17,
                         podman_ref="podman-ready", extra=True))
        m_17 = f.add(Row("jpod-rss-idle-17", f"jpod-service RSS, idle ({java17})", unit="MiB", na=na17,
                         podman_ref="podman-rss-idle", extra=True))

        def ready_and_rss(p, t0, sock, timeout, what, ready, rss, err=None):
            """The time to a container list answered, then the RSS 3 s later, of a service just started."""
            try:
                _, t_api = self.wait_ready(p, sock, timeout, err)
                if t_api is None:
                    raise BenchError(f"{what} not ready in {timeout} s (exit {p.poll()})" + (f"; see {err}" if err else ""))
                ready.samples.append(t_api - t0)
                time.sleep(3)
                rss.samples.append(rss_mib(p.pid))
            finally:
                self.stop(p)
            return t_api - t0

        def jpod17_once():
            p, t0, err = self.start_jpod("start17", java_home=jdk17[0])
            return ready_and_rss(p, t0, self.jpod_sock, 90, "jpod-service on JDK 17", r_17, m_17, err)

        def jpod_once():
            wall0 = datetime.datetime.now(datetime.timezone.utc)
            p, t0, err = self.start_jpod("start")
            try:
                t_log, t_api = self.wait_ready(p, self.jpod_sock, 90, err, need_api=have_rest)
                logged = assembled_at(err)
                if logged is not None:  # the log line's own time stamp, not when the poll saw it
                    t_log = t0 + (logged - wall0).total_seconds()
                if t_log is None and t_api is None:
                    raise BenchError(f"jpod-service not ready in 90 s (exit {p.poll()}); see {err}")
                if t_log is not None:
                    r_log.samples.append(t_log - t0)
                if have_rest:
                    if t_api is None:
                        r_jpod.error = "the API socket never answered a container list in 90 s"
                    else:
                        r_jpod.samples.append(t_api - t0)
                time.sleep(3)
                m_jpod.samples.append(rss_mib(p.pid))
            finally:
                self.stop(p)
            return (t_log or time.perf_counter()) - t0

        def podman_once():
            p, t0 = self.start_podman("start")
            return ready_and_rss(p, t0, self.podman_sock, 60, "podman system service", r_podman, m_podman)

        log("service start to ready, idle RSS")
        # the samples are recorded by the functions themselves (several rows per start): a holder row drives them
        drive = []
        hj, hp = Row("_jpod", "", na=None if self.dist else "x"), Row("_podman", "")
        h17 = Row("_jpod17", "", na=None if self.dist and have_rest and jdk17 else "x")
        drive = [(hj, jpod_once), (hp, podman_once), (h17, jpod17_once)]
        measure(drive, 0, self.n("svc_rounds"))
        if hj.error:
            r_log.error = hj.error
            m_jpod.error = hj.error
        if h17.error:
            r_17.error = m_17.error = h17.error
        if hp.error:
            r_podman.error = m_podman.error = hp.error

    def start_long_lived(self):
        if self.dist:
            self.install_probe()
            p, t0, err = self.start_jpod("main")
            t_log, t_api = self.wait_ready(p, self.jpod_sock, 120, err, need_api=self.have_rest())
            self.jpod = p
            self.jpod_api = t_api is not None
            self.jpod_err = err
            if self.have_rest() and not self.jpod_api:
                self.notes.append(f"the jpod service did not answer on {self.jpod_sock} within 120 s")
        else:
            self.jpod_api = False
        if self.jpod_api:
            try:
                self.ensure_jpod_image()
            except Exception as e:  # noqa: BLE001 - the rows that need it say so
                self.notes.append(f"the busybox image is not in jpod's store and importing it through the API "
                                  f"failed: {str(e)[:200]}")
        if self.jpod_api and self.probe_na is None:
            self.connect_probe()
        p, _ = self.start_podman("main")
        _, t = self.wait_ready(p, self.podman_sock, 60)
        self.podman_svc = p
        self.podman_api = t is not None
        if not self.podman_api:
            self.notes.append("podman system service did not come up: its API rows are failed")
        self.cli_flags = self.probe_cli()

    def install_probe(self):
        """bench/engine-probe built and dropped with its .cfg into the private copy's deploy/ (FileInstall starts it)."""
        self.probe_na = None
        self.probe_sock = os.path.join(self.work, "probe.sock")
        try:
            sh(["mvn", "-B", "-q", "-ntp", "-f", os.path.join(BENCH, "engine-probe/pom.xml"), "package"], timeout=900)
            jar = glob.glob(os.path.join(BENCH, "engine-probe/target/jpod-bench-engine-probe-*.jar"))[0]
        except (BenchError, IndexError) as e:
            self.probe_na = f"bench/engine-probe did not build: {str(e)[:200]}"
            return
        deploy = os.path.join(self.dist, "deploy")
        os.makedirs(deploy, exist_ok=True)
        shutil.copy(jar, os.path.join(deploy, "jpod-bench-engine-probe.jar"))
        with open(os.path.join(deploy, "io.jpod.bench.probe.cfg"), "w") as f:
            f.write(f"socket = {self.probe_sock}\nimage = {JPOD_IMAGE}\n")

    def connect_probe(self):
        end = time.perf_counter() + 60
        while time.perf_counter() < end:
            if os.path.exists(self.probe_sock):
                try:
                    self.probe = Probe(self.probe_sock)
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        self.probe_na = f"the engine probe did not listen on {self.probe_sock} within 60 s (see the service log)"

    def ensure_jpod_image(self):
        """The busybox image in jpod's store: the one-shot run imports it; else `docker import` through the API."""
        api = Api(self.jpod_sock)
        try:
            api.call("GET", f"{API}/images/{JPOD_IMAGE}/json", ok=(200,))
        except BenchError:
            with open(self.busybox_tar, "rb") as f:
                api.call("POST", f"{API}/images/create?fromSrc=-&repo=localhost/busybox&tag=latest", raw=f.read(),
                         ok=(200,))
        finally:
            api.close()

    def probe_cli(self):
        """What bin/jpod offers: the flags the rows need, and whether it talks to the service."""
        cli = self.cli()
        self.cli_na = None
        flags = {"network": False, "ulimit": False, "label": False}
        if not cli:
            self.cli_na = "no bin/jpod: bundles/cli is not in the distribution yet"
            return flags
        if not self.jpod_api:
            self.cli_na = "bin/jpod exists but the service's API does not answer"
            return flags
        rc, out, err = sh([cli, "run", "--help"], env=self.env_cli(), check=False, timeout=60)
        text = out + err
        flags = {k: f"--{k}" in text for k in flags}
        rc, out, err = sh([cli, "ps", "-a"], env=self.env_cli(), check=False, timeout=60)
        if rc != 0:
            first = next((l.strip() for l in (err or out).splitlines() if l.strip()), "")
            self.cli_na = f"bin/jpod ps -a exited {rc}: {first[:240]}"
        return flags

    def cli_argv(self, verb, network=None, image=JPOD_IMAGE, cmd=("true",)):
        a = [self.cli(), verb]
        if verb == "run":
            a.append("--rm")
        if self.cli_flags.get("label"):
            a += ["--label", f"{LABEL}=1"]
        if self.cli_flags.get("ulimit"):  # else the private jpod.conf's default_ulimits give the same limits
            for u in ULIMITS:
                a += ["--ulimit", u]
        if network == "none":
            a += ["--network", "none"]
        return a + [image] + list(cmd)

    def podman_argv(self, verb, network=None):
        a = PODMAN + [verb]
        if verb == "run":
            a.append("--rm")
        a += ["--label", f"{LABEL}=1"]
        for u in ULIMITS:
            a += ["--ulimit", u]
        if network == "none":
            a += ["--network", "none"]
        return a + [PODMAN_IMAGE, "true"]

    def docker_argv(self, image, network=None):
        a = ["docker", "run", "--rm", "--label", f"{LABEL}=1"]
        for u in ULIMITS:
            a += ["--ulimit", u]
        if network == "none":
            a += ["--network", "none"]
        return a + [image, "true"]

    def runc_once(self, bundle=None):
        self.runc_n += 1
        cid = f"jpod-bench-{os.getpid()}-{self.runc_n}"
        return timed(lambda: sh(["runc", "--root", self.runc_root, "run", "--bundle", bundle or self.runc_bundle,
                                 cid]))

    def jpod_spec_bundle(self):
        """An OCI bundle of the spec jpod gives a container of `true` on network none (its seccomp filter, podman's
        mounts and masked paths), on the bare bundle's root filesystem: runc's own share of a jpod start."""
        api = Api(self.jpod_sock)
        try:
            _, r = api.call("POST", f"{API}/containers/create",
                            {"Image": JPOD_IMAGE, "Cmd": ["sleep", "60"], "Labels": {LABEL: "1"},
                             "HostConfig": host_config("none")}, ok=(201,))
            cid = r["Id"]
            try:
                api.call("POST", f"{API}/containers/{cid}/start", ok=(204,))
                userdata = os.path.join(self.work, "run", "containers", cid, "userdata")
                with open(os.path.join(userdata, "config.json")) as f:
                    spec = json.load(f)
                bundle = os.path.join(self.work, "runc-bundle-jpod-spec")
                os.makedirs(bundle)
                for m in spec.get("mounts", []):
                    src = m.get("source", "")
                    if src.startswith(userdata + "/"):
                        m["source"] = os.path.join(bundle, os.path.basename(src))
                        shutil.copy(src, m["source"])
            finally:
                api.call("DELETE", f"{API}/containers/{cid}?force=true", ok=(204, 200))
        finally:
            api.close()
        spec["root"] = {"path": os.path.join(self.runc_bundle, "rootfs"), "readonly": False}
        spec["process"]["args"] = ["true"]
        spec["process"]["terminal"] = False
        # runc's default cgroup (named after the container), as the bare bundle has
        spec["linux"].pop("cgroupsPath", None)
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(spec, f)
        return bundle

    def fig_start(self, network):
        none = network == "none"
        key = "run-none" if none else "run-bridge"
        title = ("Start-to-exit of `true`, no network" if none
                 else "Start-to-exit of `true`, default bridge network")
        f = Figure(key, title,
                   "Wall time of one complete run --rm of `true` on the busybox image: create, start, wait for the "
                   "exit, remove. API rows: POST /containers/create, /start, /wait, DELETE on one keep-alive "
                   "connection (the same calls against jpod's socket and `podman system service`'s). CLI rows: the "
                   "whole command, process start included. runc: `runc run` of an OCI bundle of the same root "
                   "filesystem (runc's default spec: own network namespace with lo only), no conmon, no storage; "
                   "the row of jpod's spec runs the config.json jpod wrote for such a container (seccomp filter, "
                   "podman's mounts and masked paths) on that root filesystem, runc's own share of a jpod start."
                   + ("" if none else " Bridge rows: jpod's default network `jpod` (CNI bridge jpod0) and podman's "
                                      "default network `podman` (netavark), each setting up and tearing down a veth."))
        self.figures.append(f)
        api_na = None if self.jpod_api else ("no API: bundles/rest is not in the distribution yet"
                                               if not self.have_rest() else "the jpod API did not come up")
        cli_na = self.cli_na
        if cli_na is None and none and not self.cli_flags.get("network"):
            cli_na = "bin/jpod run has no --network flag yet (issue 5)"
        docker_na = None if shutil.which("docker") else "no docker CLI"
        sfx = "" if none else "-bridge"
        runc_ref = "runc" if none else None
        rows = []
        if none:
            rows.append((f.add(Row("runc", "runc run (bare, same rootfs)")), self.runc_once))
            spec_na, spec_bundle = api_na, None
            if spec_na is None:
                try:
                    spec_bundle = self.jpod_spec_bundle()
                except Exception as e:  # noqa: BLE001
                    spec_na = f"no bundle of jpod's spec: {e}"[:200]
            r = f.add(Row("runc-jpod-spec", "runc run of jpod's spec (its seccomp filter and mounts; same rootfs)",
                          na=spec_na, runc_ref=runc_ref, extra=True))
            rows.append((r, lambda: self.runc_once(spec_bundle)))
        else:
            runc_ref = "@run-none.runc"
        if none:
            r = f.add(Row("jpod-engine", "jpod, through the Engine service (in-process, bench/engine-probe)",
                          na=api_na or self.probe_na, runc_ref=runc_ref, goal=("ratio", runc_ref, 1.5)))
            rows.append((r, lambda: self.probe.run()))
        r = f.add(Row("jpod-api" + sfx, "jpod, through the API", na=api_na, podman_ref="podman-api" + sfx,
                      runc_ref=runc_ref, goal=("ratio", runc_ref, 1.5) if none else None))
        rows.append((r, lambda: self.api_run_timed(self.jpod_sock, JPOD_IMAGE, network)))
        r = f.add(Row("jpod-cli" + sfx, "jpod run --rm", na=cli_na, podman_ref="podman-cli" + sfx, runc_ref=runc_ref,
                      goal=("ratio", "podman-cli" + sfx, 0.5)))
        rows.append((r, lambda: timed(lambda: sh(self.cli_argv("run", network), env=self.env_cli()))))
        r = f.add(Row("podman-cli" + sfx, "podman run --rm" + (" --network none" if none else ""), runc_ref=runc_ref))
        rows.append((r, lambda: timed(lambda: sh(self.podman_argv("run", network)))))
        if none:
            r = f.add(Row("docker-jpod", "docker CLI → jpod's socket (docker run --rm)", na=api_na or docker_na,
                          podman_ref="docker-podman", runc_ref=runc_ref))
            rows.append((r, lambda: timed(lambda: sh(self.docker_argv(JPOD_IMAGE, network),
                                                      env=self.env_docker(self.jpod_sock)))))
        r = f.add(Row("podman-api" + sfx, "podman system service, through the API (same calls)", runc_ref=runc_ref,
                      na=None if self.podman_api else "podman system service did not come up", extra=True))
        rows.append((r, lambda: self.api_run_timed(self.podman_sock, PODMAN_IMAGE, network)))
        if none:
            r = f.add(Row("docker-podman", "docker CLI → podman's socket (docker run --rm)", runc_ref=runc_ref,
                          na=docker_na or (None if self.podman_api else "no podman service"), extra=True))
            rows.append((r, lambda: timed(lambda: sh(self.docker_argv(PODMAN_IMAGE, network),
                                                      env=self.env_docker(self.podman_sock)))))
        self._apis = {}
        log(f"start-to-exit, network {network}")
        measure(rows, self.n("start_warm"), self.n("start_rounds"))
        pr = f.row("jpod-engine")
        if pr is not None and pr.samples:
            ph = self.probe.phases[-len(pr.samples):]
            med = [statistics.median(x[i] for x in ph) for i in range(4)]
            f.what += (" Engine row: the same four steps called on the Engine service inside jpod's service (a bundle "
                       "of bench/engine-probe, dropped into its deploy/), timed there; its median by step: "
                       + ", ".join(f"{n} {fmt(v, 's')}" for n, v in zip(("create", "start", "wait", "remove"), med))
                       + ".")
        for a in self._apis.values():
            a.close()

    def api_run_timed(self, sock, image, network):
        api = self._apis.setdefault(sock, Api(sock))
        return timed(lambda: api_run(api, image, network))

    # creates

    def fig_create(self):
        f = Figure("create", "100 creates, sequential and from 10 concurrent clients",
                   "Wall time to create 100 containers of `true` (default network; created, not started), one after "
                   "another from one client, and 10 each from 10 concurrent clients. API rows: POST "
                   "/containers/create (a keep-alive connection per client); CLI rows: `jpod create` / `podman "
                   "create` processes. The containers are removed between samples (not timed).")
        self.figures.append(f)
        api_na = None if self.jpod_api else "no API: bundles/rest is not in the distribution yet"
        rows = []
        for mode, clients in (("seq", 1), ("conc", 10)):
            title = "sequential" if clients == 1 else "10 concurrent clients"
            r = f.add(Row(f"jpod-api-{mode}", f"jpod API, {title}", na=api_na, podman_ref=f"podman-api-{mode}"))
            rows.append((r, self.creator(clients, "api", self.jpod_sock, JPOD_IMAGE)))
            r = f.add(Row(f"jpod-cli-{mode}", f"jpod create, {title}", na=self.cli_na,
                          podman_ref=f"podman-cli-{mode}"))
            rows.append((r, self.creator(clients, "jpod-cli", self.jpod_sock, JPOD_IMAGE)))
            r = f.add(Row(f"podman-cli-{mode}", f"podman create, {title}"))
            rows.append((r, self.creator(clients, "podman-cli", self.podman_sock, PODMAN_IMAGE)))
            r = f.add(Row(f"podman-api-{mode}", f"podman system service API, {title}",
                          na=None if self.podman_api else "no podman service"))
            rows.append((r, self.creator(clients, "api", self.podman_sock, PODMAN_IMAGE)))
        log("100 creates")
        measure(rows, 0, self.n("create_rounds"))

    def creator(self, clients, how, sock, image):
        def run():
            per = 100 // clients
            if how == "api":
                def one(api, _):
                    api_create(api, image)
                make = lambda: Api(sock)  # noqa: E731
            else:
                argv = self.cli_argv("create") if how == "jpod-cli" else self.podman_argv("create")
                env = self.env_cli() if how == "jpod-cli" else None

                def one(_, __):
                    sh(argv, env=env)
                make = None
            try:
                t = timed(lambda: parallel(clients, range(per * clients), one, make))
            finally:
                self.remove_all(how, sock)
            return t
        return run

    def remove_all(self, how, sock):
        if sock == self.podman_sock and not self.podman_api:
            self.podman_remove_all()
            return
        try:
            api_remove_all(sock)
        except Exception as e:  # noqa: BLE001
            if sock == self.podman_sock:
                self.podman_remove_all()
            else:
                log(f"  removing jpod's containers: {e}")

    def podman_remove_all(self):
        _, out, _ = sh(PODMAN + ["ps", "-a", "-q", "--filter", f"label={LABEL}=1"], check=False)
        ids = out.split()
        for i in range(0, len(ids), 200):
            sh(PODMAN + ["rm", "-f"] + ids[i:i + 200], check=False, timeout=600)

    # list and memory with many containers

    def traced_java(self, argv, env=None, cache_word="class cache"):
        """The JVM a script of the install execs, as its -x trace shows it, with the class cache it passes."""
        _, _, err = sh(["bash", "-x"] + argv, env=env, check=False)
        for line in err.splitlines():
            if line.startswith("+ exec "):
                # bin/jpod-service execs the JVM through env --default-signal=HUP
                words = [a for a in line[len("+ exec "):].split() if a not in ("env", "--default-signal=HUP")]
                cache = next((a.split("=", 1)[1] for a in words if a.startswith(("-XX:AOTCache=", "-XX:SharedArchiveFile="))), None)
                _, _, v = sh([words[0], "-version"], check=False)
                jdk = v.splitlines()[0] if v else words[0]
                return f"{jdk}, " + (f"{cache_word} {os.path.basename(cache)}" if cache else "no class cache")
        return "unknown"

    def service_java(self, java_home=None):
        """The JVM bin/jpod-service runs on, with the AOT cache it uses."""
        env = dict(os.environ)
        env.pop("JAVA_HOME", None)
        if java_home:
            env["JAVA_HOME"] = java_home
        return self.traced_java([os.path.join(self.dist, "bin/jpod-service"), "--help"], env, "AOT cache")

    def cli_java(self, env=None):
        """The JVM bin/jpod runs on, with the class cache it uses."""
        return self.traced_java([self.cli(), "--version"], env)

    def fig_cli(self):
        """The command line's own start: a command that needs no service, and a list of an empty engine."""
        f = Figure("cli", "The command line's start",
                   "Whole commands, as a user types them: `--version` (no service asked) and `ps -a` on an engine "
                   "with no containers (one API call). The jpod JVM and its class cache are named in the rows; the "
                   "JDK 17 rows are context for what the newer JDK's AOT cache gives.")
        self.figures.append(f)
        cli_na = self.cli_na
        env17 = dict(self.env_cli())
        jdk17 = sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*"))
        if jdk17:
            env17["JAVA_HOME"] = jdk17[0]
            # its AppCDS archive is written by the first run; one untimed run makes it
            sh([self.cli(), "ps", "-a"], env=env17, check=False)
        main_java = self.cli_java(self.env_cli()) if not cli_na else ""
        java17 = self.cli_java(env17) if not cli_na and jdk17 else ""
        rows = [
            (f.add(Row("jpod-version", f"jpod --version ({main_java})", na=cli_na, podman_ref="podman-version")),
             lambda: timed(lambda: sh([self.cli(), "--version"], env=self.env_cli()))),
            (f.add(Row("podman-version", "podman --version")), lambda: timed(lambda: sh(["podman", "--version"]))),
            (f.add(Row("jpod-ps-empty", f"jpod ps -a, no containers ({main_java})", na=cli_na,
                       podman_ref="podman-ps-empty", goal=("abs", 0.1))),
             lambda: timed(lambda: sh([self.cli(), "ps", "-a"], env=self.env_cli()))),
            (f.add(Row("podman-ps-empty", "podman ps -a, no containers")), lambda: timed(lambda: sh(PODMAN + ["ps", "-a"]))),
            (f.add(Row("jpod-ps-empty-17", f"jpod ps -a, no containers ({java17})", extra=True,
                       na=cli_na or (None if jdk17 else "no JDK 17 under /usr/lib/jvm"), podman_ref="podman-ps-empty")),
             lambda: timed(lambda: sh([self.cli(), "ps", "-a"], env=env17))),
        ]
        log("the command line's start")
        measure(rows, self.n("list_warm"), self.n("list_rounds"))

    def fig_list(self):
        many = self.n("many")
        f = Figure("list", f"List with {many} containers",
                   f"Each engine holds {many} created containers (made untimed through its API from 10 clients). "
                   "CLI rows: `jpod ps -a` / `podman ps -a` / `docker ps -a` (whole command); API rows: GET "
                   "/containers/json?all=1 on a keep-alive connection.")
        g = Figure("rss", f"Service resident memory with {many} containers",
                   f"VmRSS of the service holding {many} containers, after the list figure (median of 3 readings "
                   "1 s apart). podman: the `podman system service` process (podman keeps no daemon state; its "
                   "CLI rows run without it).")
        self.figures += [f, g]
        api_na = None if self.jpod_api else "no API: bundles/rest is not in the distribution yet"
        log(f"creating {many} containers in each engine (untimed)")
        jpod_ok = podman_ok = False
        if self.jpod_api:
            try:
                parallel(10, range(many), lambda a, _: api_create(a, JPOD_IMAGE), lambda: Api(self.jpod_sock))
                jpod_ok = True
            except Exception as e:  # noqa: BLE001
                api_na = f"creating {many} containers failed: {str(e)[:200]}"
        podman_na = None
        try:
            if self.podman_api:
                parallel(10, range(many), lambda a, _: api_create(a, PODMAN_IMAGE), lambda: Api(self.podman_sock))
            else:
                parallel(10, range(many), lambda _, __: sh(self.podman_argv("create")))
            podman_ok = True
        except Exception as e:  # noqa: BLE001
            podman_na = f"creating {many} containers failed: {str(e)[:200]}"
        cli_na = self.cli_na or (None if jpod_ok else api_na)
        apis = {}

        def api_list(sock):
            def run():
                a = apis.setdefault(sock, Api(sock))
                t0 = time.perf_counter()
                _, lst = a.call("GET", f"{API}/containers/json?all=1", ok=(200,))
                t = time.perf_counter() - t0
                if len(lst) < many:
                    raise BenchError(f"the list has {len(lst)} containers, expected at least {many}")
                return t
            return run
        docker = shutil.which("docker")
        rows = [
            (f.add(Row("jpod-cli", "jpod ps -a", na=cli_na, podman_ref="podman-cli", goal=("ratio", "podman-cli", 0.5))),
             lambda: timed(lambda: sh([self.cli(), "ps", "-a"], env=self.env_cli()))),
            (f.add(Row("podman-cli", "podman ps -a", na=podman_na)), lambda: timed(lambda: sh(PODMAN + ["ps", "-a"]))),
            (f.add(Row("jpod-api", "jpod API: GET /containers/json?all=1", na=api_na, podman_ref="podman-api")),
             api_list(self.jpod_sock)),
            (f.add(Row("podman-api", "podman API: GET /containers/json?all=1",
                       na=podman_na or (None if self.podman_api else "no podman service"))),
             api_list(self.podman_sock)),
            (f.add(Row("docker-jpod", "docker ps -a → jpod's socket", na=api_na or (None if docker else "no docker CLI"),
                       podman_ref="docker-podman", extra=True)),
             lambda: timed(lambda: sh(["docker", "ps", "-a"], env=self.env_docker(self.jpod_sock)))),
            (f.add(Row("docker-podman", "docker ps -a → podman's socket", extra=True,
                       na=podman_na or (None if docker and self.podman_api else "no docker CLI or podman service"))),
             lambda: timed(lambda: sh(["docker", "ps", "-a"], env=self.env_docker(self.podman_sock)))),
        ]
        log("list")
        measure(rows, self.n("list_warm"), self.n("list_rounds"))
        for a in apis.values():
            a.close()
        rj = g.add(Row("jpod-rss", f"jpod-service RSS, {many} containers", unit="MiB", podman_ref="podman-rss",
                       na=None if jpod_ok else (api_na or "no jpod service")))
        rp = g.add(Row("podman-rss", f"podman system service RSS, {many} containers", unit="MiB",
                       na=None if podman_ok and self.podman_api else (podman_na or "no podman service")))
        for _ in range(3):
            if rj.na is None and self.jpod and self.jpod.poll() is None:
                rj.samples.append(rss_mib(self.jpod.pid))
            if rp.na is None and self.podman_svc and self.podman_svc.poll() is None:
                rp.samples.append(rss_mib(self.podman_svc.pid))
            time.sleep(1)
        log("removing the containers")
        if jpod_ok:
            self.remove_all("api", self.jpod_sock)
        self.remove_all("api", self.podman_sock)

    def fig_hotswap(self):
        """Provider bundles updated through Felix FileInstall while a container runs; see HOTSWAP_WHAT."""
        f = Figure("hotswap", "Provider hot-swap to engine ready", HOTSWAP_WHAT)
        self.figures.append(f)
        na = None if self.dist else "no distribution"
        if na is None and not self.have_rest():
            na = "no API: bundles/rest is not in the distribution (no jpod-rest in system/)"
        rows = {}
        for b in HOTSWAP_BUNDLES:
            rows[b] = (f.add(Row(f"hotswap-{b}", f"update of {b} → engine assembled again", na=na, goal=("abs", 1.0))),
                       f.add(Row(f"hotswap-{b}-api", f"{b} jar copied into deploy/ → API answers again", na=na,
                                 extra=True)))
        if na:
            return
        own = self.jpod is None or self.jpod.poll() is not None
        if own:
            # the busybox image into the private store, as the one-shot figure does (untimed)
            sh([os.path.join(self.dist, "bin/jpod-service"), "--exec", "jpod:run busybox true"], env=self.env_jpod(),
               timeout=300, check=False)
            p, _, err = self.start_jpod("hotswap")
            _, t_api = self.wait_ready(p, self.jpod_sock, 120, err)
        else:
            p, err, t_api = self.jpod, self.jpod_err, True
        api, cid = Api(self.jpod_sock), None
        try:
            if t_api is None:
                raise BenchError(f"the service did not answer a container list in 120 s; see {err}")
            self.ensure_jpod_image()
            # a container runs through every update: it must come out with the same process
            _, r = api.call("POST", f"{API}/containers/create",
                            {"Image": JPOD_IMAGE, "Cmd": ["sleep", "3600"], "Labels": {LABEL: "1"},
                             "HostConfig": host_config("none")}, ok=(201,))
            cid = r["Id"]
            api.call("POST", f"{API}/containers/{cid}/start", ok=(204,))
            pid = api.call("GET", f"{API}/containers/{cid}/json", ok=(200,))[1]["State"]["Pid"]
            log("provider hot-swap: bundle jars copied into deploy/, FileInstall updates the installed bundles")
            rounds = self.n("hotswap_rounds")
            for i in range(1 + rounds):  # the first round warms up (and is FileInstall's first sight of the jar)
                order = HOTSWAP_BUNDLES[i % len(HOTSWAP_BUNDLES):] + HOTSWAP_BUNDLES[:i % len(HOTSWAP_BUNDLES)]
                for b in order:
                    r_log, r_api = rows[b]
                    if r_log.error:
                        continue
                    try:
                        t_log, t_api_ready = self.hotswap_once(b, err, api)
                        st = api.call("GET", f"{API}/containers/{cid}/json", ok=(200,))[1]["State"]
                        if not st.get("Running") or st.get("Pid") != pid:
                            raise BenchError(f"the container did not survive the update of {b}: {st}")
                        if i > 0:
                            r_log.samples.append(t_log)
                            r_api.samples.append(t_api_ready)
                    except Exception as e:  # noqa: BLE001 - reported in the row
                        r_log.error = r_api.error = str(e)[:400]
                        log(f"  hotswap {b}: failed: {r_log.error}")
            for b in HOTSWAP_BUNDLES:
                for r in rows[b]:
                    st = r.stats()
                    if st:
                        log(f"  {r.key:<28} median {fmt(st['median'], r.unit)}  (n={st['n']})")
        except Exception as e:  # noqa: BLE001
            for r_log, r_api in rows.values():
                r_log.error = r_log.error or str(e)[:400]
                r_api.error = r_api.error or str(e)[:400]
        finally:
            if cid:
                try:
                    api.call("DELETE", f"{API}/containers/{cid}?force=1", ok=(200, 204, 404))
                except Exception as e:  # noqa: BLE001 - cleanup() kills its conmon by the work directory
                    log(f"hotswap: removing the container: {e}")
            api.close()
            if own:
                self.stop(p)

    def hotswap_once(self, bsn, err, api):
        """Copies the bundle's jar into deploy/ with a new mtime; returns (engine down → assembled, from the log's
        time stamps; copy → API answering a container list)."""
        jar = glob.glob(os.path.join(self.dist, f"system/io/jpod/{bsn}/*/{bsn}-*.jar"))[0]
        dst = os.path.join(self.dist, "deploy", f"{bsn}.jar")
        offset = os.path.getsize(err)
        t0 = time.perf_counter()
        shutil.copyfile(jar, dst + ".tmp")
        os.replace(dst + ".tmp", dst)  # whole, so FileInstall never reads half a jar
        end = t0 + 60
        down = up = None
        while time.perf_counter() < end:
            with open(err, errors="replace") as f:
                f.seek(offset)
                for line in f:
                    if down is None and "taking the engine down:" in line:
                        down = log_time(line)
                    elif down is not None and "engine assembled:" in line:
                        up = log_time(line)
            if up is not None:
                break
            time.sleep(0.005)
        if down is None or up is None:
            raise BenchError(f"no {'engine taken down' if down is None else 'engine assembled again'} in the "
                             f"service log 60 s after copying {bsn} into deploy/")
        while time.perf_counter() < end:
            try:
                api.call("GET", f"{API}/containers/json?limit=1", ok=(200,))
                break
            except Exception:  # noqa: BLE001 - 503 until the REST layer sees the new engine
                api.close()
                time.sleep(0.005)
        t_api = time.perf_counter() - t0
        # let FileInstall's next polls pass: one update, one reassembly (a second would show here)
        time.sleep(1.5)
        with open(err, errors="replace") as f:
            f.seek(offset)
            downs = sum(1 for line in f if "taking the engine down:" in line)
        if downs != 1:
            raise BenchError(f"one update of {bsn} took the engine down {downs} times")
        return (up - down).total_seconds(), t_api

    # -- registries: pull and push of a debootstrap'd Debian in four layers

    def debian_root(self):
        """`debootstrap --variant=minbase bookworm` from the mirror apt uses, cached under CACHE by date (UTC)."""
        root = os.path.join(CACHE, f"debian-{DEBIAN_SUITE}-{self.started:%Y%m%d}")
        if os.path.isdir(root):
            return root
        if not shutil.which("debootstrap"):
            raise BenchError("no debootstrap (bench/run installs it with apt-get)")
        os.makedirs(CACHE, exist_ok=True)
        tmp = root + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        log(f"debootstrap --variant=minbase {DEBIAN_SUITE} (once a day: {root})")
        sh(["debootstrap", "--variant=minbase", DEBIAN_SUITE, tmp, apt_mirror()], timeout=1800)
        os.rename(tmp, root)
        return root

    def write_debian_layout(self, root, layout):
        """An OCI layout of `root` in DEBIAN_LAYERS (gzip), tagged DEBIAN_SUITE; written here, deterministically
        (sorted names, gzip without a time stamp). apt's downloaded .debs and lists and /dev's nodes are left out,
        as Debian's own images leave them. Returns [(layer, compressed size)]."""
        blobs = os.path.join(layout, "blobs", "sha256")
        os.makedirs(blobs)
        parts = {name: [] for name, _ in DEBIAN_LAYERS}
        for d, dirs, files in os.walk(root):
            dirs.sort()
            rel = os.path.relpath(d, root)
            for name in ([] if rel == "." else [""]) + sorted(files) + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
                arc = rel if name == "" else os.path.normpath(os.path.join(rel, name))
                if any(arc.startswith(x) for x in DEBIAN_SKIP):
                    continue
                layer = next(n for n, prefixes in reversed(DEBIAN_LAYERS)
                             if not prefixes or any(arc == p or arc.startswith(p + "/") for p in prefixes))
                parts[layer].append(arc)
        layers, diff_ids, sizes = [], [], []
        for name, _ in DEBIAN_LAYERS:
            tmp = os.path.join(layout, "layer.tmp")
            with open(tmp, "wb") as raw:
                packed = HashWriter(raw)
                gz = gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=6, mtime=0)
                plain = HashWriter(gz)
                with tarfile.open(fileobj=plain, mode="w|", format=tarfile.PAX_FORMAT) as t:
                    for arc in parts[name]:
                        t.add(os.path.join(root, arc), arcname=arc, recursive=False, filter=tar_root)
                gz.close()
            digest = packed.digest()
            os.replace(tmp, os.path.join(blobs, digest))
            layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                           "digest": "sha256:" + digest, "size": packed.size})
            diff_ids.append("sha256:" + plain.digest())
            sizes.append((name, packed.size))
        arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
        config = {"architecture": arch, "os": "linux",
                  "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                             "Cmd": ["bash"]},
                  "rootfs": {"type": "layers", "diff_ids": diff_ids},
                  "history": [{"created_by": f"jpod bench: debootstrap --variant=minbase {DEBIAN_SUITE}, {n}"}
                              for n, _ in DEBIAN_LAYERS]}
        cfg = self.blob(blobs, json.dumps(config, sort_keys=True).encode())
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg[0],
                               "size": cfg[1]}, "layers": layers}
        man = self.blob(blobs, json.dumps(manifest, sort_keys=True).encode())
        with open(os.path.join(layout, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": man[0], "size": man[1],
                 "annotations": {"org.opencontainers.image.ref.name": DEBIAN_SUITE}}]}, f)
        with open(os.path.join(layout, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        return sizes

    @staticmethod
    def blob(blobs, data):
        d = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, d), "wb") as f:
            f.write(data)
        return "sha256:" + d, len(data)

    def start_registry(self, tag):
        """Debian's docker-registry on 127.0.0.1 and a free port, plain HTTP, its storage in the work directory;
        in self.procs, so that clean-up stops it. Returns (Popen, port)."""
        if not os.access(REGISTRY, os.X_OK):
            raise BenchError(f"no {REGISTRY} (Debian's docker-registry; bench/run installs it)")
        d = os.path.join(self.work, f"registry-{tag}")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "storage"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with open(os.path.join(d, "config.yml"), "w") as f:
            f.write(f"version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {d}/storage\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n")
        p = subprocess.Popen([REGISTRY, "serve", os.path.join(d, "config.yml")], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "registry.log"), "w"))
        self.procs.append(("docker-registry", p))
        end = time.perf_counter() + 15
        while time.perf_counter() < end and p.poll() is None:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/v2/")
                c.getresponse().read()
                c.close()
                return p, port
            except OSError:
                time.sleep(0.05)
        self.stop(p)
        raise BenchError(f"docker-registry did not answer on 127.0.0.1:{port} in 15 s: "
                         + open(os.path.join(d, "registry.log"), errors="replace").read()[-300:])

    def ensure_registry(self):
        """The source registry with the Debian image in it (once per run), for the pull and push figures."""
        if getattr(self, "registry_ref", None) or getattr(self, "registry_na", None):
            if getattr(self, "registry_na", None):
                raise BenchError(self.registry_na)
            return self.registry_ref
        try:
            if not shutil.which("skopeo"):
                raise BenchError("no skopeo (bench/run installs it)")
            root = self.debian_root()
            layout = os.path.join(self.work, "debian-oci")
            log("writing the Debian root as an OCI layout of 4 gzip layers")
            self.debian_layers = self.write_debian_layout(root, layout)
            self.registry, port = self.start_registry("source")
            self.registry_ref = f"127.0.0.1:{port}/bench/debian:{DEBIAN_SUITE}"
            sh(["skopeo", "copy", "-q", "--preserve-digests", "--dest-tls-verify=false",
                f"oci:{layout}:{DEBIAN_SUITE}", "docker://" + self.registry_ref], timeout=600)
            shutil.rmtree(layout, ignore_errors=True)
            return self.registry_ref
        except BenchError as e:
            self.registry_na = f"no registry with the Debian image: {str(e)[:240]}"
            raise BenchError(self.registry_na)

    def layers_text(self):
        return ", ".join(f"{n} {s / 1e6:.1f} MB" for n, s in self.debian_layers)

    def podman_rmi(self, ref):
        self.podman_refs.add(ref)  # clean-up removes it again, should a figure stop half-way
        sh(PODMAN + ["rmi", "-f", ref], check=False, timeout=300)

    def jpod_rmi(self, api, ref):
        api.call("DELETE", f"{API}/images/{pathquote(ref)}?force=1", ok=(200, 404))

    def registry_figure(self, f, layers_label):
        """A registry figure's common start: f recorded, the loopback registry with the image, and why each
        kind of contender cannot run (None when it can): (ref, na, api_na, cli_na, podman_api_na, apis)."""
        self.figures.append(f)
        try:
            ref = self.ensure_registry()
            f.what += f" {layers_label}: {self.layers_text()}."
            na = None
        except BenchError as e:
            ref, na = None, str(e)
        api_na = na or (None if self.jpod_api else "no API: the jpod service's socket does not answer")
        cli_na = na or self.cli_na
        pod_api_na = na or (None if self.podman_api else "no podman service")
        apis = {"jpod": Api(self.jpod_sock, timeout=600), "podman": Api(self.podman_sock, timeout=600)}
        return ref, na, api_na, cli_na, pod_api_na, apis

    def fig_pull(self):
        f = Figure("pull", "Pull of a 4-layer Debian image from a registry on loopback",
                   f"`debootstrap --variant=minbase {DEBIAN_SUITE}` (cached by date) written by the harness as an "
                   "OCI layout of four gzip layers, `skopeo copy`'d into Debian's docker-registry on 127.0.0.1 "
                   "(plain HTTP, storage in the work directory). One sample pulls every layer: the image is removed "
                   "from the contender's store between samples (untimed: jpod `DELETE /images/{name}?force=1`, "
                   "`podman rmi -f`, the skopeo directory deleted). API rows: libpod's `POST /images/pull?reference="
                   "...&tlsVerify=false`, the stream read to its end, on a keep-alive connection; CLI rows: the whole "
                   "command. skopeo: `skopeo copy docker://... dir:` — fetch and verify, nothing unpacked: a floor.",
                   second="skopeo")
        ref, na, api_na, cli_na, pod_api_na, apis = self.registry_figure(f, "Layers (compressed)")

        def api_pull(which):
            a = apis[which]

            def run():
                t = timed(lambda: stream_ok(a.call("POST", f"{LIBPOD}/images/pull?reference={urlquote(ref)}"
                                                           "&tlsVerify=false", ok=(200,), parse=False)[1]))
                if which == "jpod":
                    self.jpod_rmi(a, ref)
                else:
                    self.podman_rmi(ref)
                return t
            return run

        def jpod_cli():
            try:
                return timed(lambda: sh([self.cli(), "pull", "-q", "--tls-verify=false", ref], env=self.env_cli(),
                                        timeout=600))
            finally:
                self.jpod_rmi(apis["jpod"], ref)

        def podman_cli():
            try:
                return timed(lambda: sh(PODMAN + ["pull", "-q", "--tls-verify=false", ref], timeout=600))
            finally:
                self.podman_rmi(ref)

        def skopeo():
            d = tempfile.mkdtemp(prefix="skopeo.", dir=self.work)
            try:
                return timed(lambda: sh(["skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + ref,
                                         "dir:" + d], timeout=600))
            finally:
                shutil.rmtree(d, ignore_errors=True)
        rows = [
            (f.add(Row("jpod-api", "jpod API: libpod POST /images/pull", na=api_na, podman_ref="podman-api",
                       runc_ref="skopeo", goal=("ratio", "podman-api", 0.7))), api_pull("jpod")),
            (f.add(Row("jpod-cli", "jpod pull", na=cli_na, podman_ref="podman-cli", runc_ref="skopeo",
                       goal=("ratio", "podman-cli", 0.7))), jpod_cli),
            (f.add(Row("podman-cli", "podman pull --tls-verify=false", na=na, runc_ref="skopeo")), podman_cli),
            (f.add(Row("podman-api", "podman system service: libpod POST /images/pull", na=pod_api_na,
                       runc_ref="skopeo", extra=True)), api_pull("podman")),
            (f.add(Row("skopeo", "skopeo copy docker://… dir:", na=na, extra=True)), skopeo),
        ]
        if na is None:
            self.podman_rmi(ref)  # none of anyone's: the name is this run's own registry's
        log("pull of the Debian image")
        measure(rows, self.n("pull_warm"), self.n("pull_rounds"))
        for a in apis.values():
            a.close()

    def fig_push(self):
        f = Figure("push", "Push of the 4-layer Debian image to a registry on loopback",
                   "The image of the pull figure, pulled once (untimed) into jpod's and podman's stores and into a "
                   "skopeo `dir:`; each sample pushes it to an empty docker-registry on 127.0.0.1 (a new one for "
                   "every sample, untimed: no blob is there and none can be mounted from another repository), "
                   "so every layer is sent. jpod and podman compress the layers they store unpacked (gzip); "
                   "skopeo from `dir:` sends the compressed blobs as they are (a floor). API rows: libpod's `POST "
                   "/images/{name}/push?destination=...&tlsVerify=false`, the stream read to its end; CLI rows: the "
                   "whole command.", second="skopeo")
        ref, na, api_na, cli_na, pod_api_na, apis = self.registry_figure(f, "Layers as pulled (compressed)")
        src = os.path.join(self.work, "push-src")
        if na is None:
            log("push: the image pulled once into jpod, podman and a skopeo dir: (untimed)")
            if api_na is None:
                try:
                    stream_ok(apis["jpod"].call("POST", f"{LIBPOD}/images/pull?reference={urlquote(ref)}"
                                                        "&tlsVerify=false", ok=(200,), parse=False)[1])
                except Exception as e:  # noqa: BLE001 - the rows say so
                    api_na = f"the pull before the push failed: {str(e)[:200]}"
            cli_na = cli_na or api_na
            try:
                sh(PODMAN + ["pull", "-q", "--tls-verify=false", ref], timeout=600)
            except BenchError as e:
                na = f"podman pull before the push failed: {str(e)[:200]}"
            sh(["skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + ref, "dir:" + src], timeout=600,
               check=False)
        n = [0]

        def pusher(fn):
            def run():
                p, port = self.start_registry("push")
                try:
                    n[0] += 1
                    return timed(lambda: fn(f"127.0.0.1:{port}/bench/push-{n[0]}:{DEBIAN_SUITE}"))
                finally:
                    self.stop(p)
            return run

        def api_push(which):
            a = apis[which]
            return pusher(lambda dest: stream_ok(a.call(
                "POST", f"{LIBPOD}/images/{pathquote(ref)}/push?destination={urlquote(dest)}&tlsVerify=false",
                ok=(200,), parse=False)[1]))
        rows = [
            (f.add(Row("jpod-api", "jpod API: libpod POST /images/{name}/push", na=api_na, podman_ref="podman-api",
                       runc_ref="skopeo", goal=("ratio", "podman-api", 0.7))), api_push("jpod")),
            (f.add(Row("jpod-cli", "jpod push", na=cli_na, podman_ref="podman-cli", runc_ref="skopeo",
                       goal=("ratio", "podman-cli", 0.7))),
             pusher(lambda dest: sh([self.cli(), "push", "-q", "--tls-verify=false", ref, dest], env=self.env_cli(),
                                    timeout=600))),
            (f.add(Row("podman-cli", "podman push --tls-verify=false", na=na, runc_ref="skopeo")),
             pusher(lambda dest: sh(PODMAN + ["push", "-q", "--tls-verify=false", ref, "docker://" + dest],
                                    timeout=600))),
            (f.add(Row("podman-api", "podman system service: libpod POST /images/{name}/push",
                       na=na or pod_api_na, runc_ref="skopeo", extra=True)), api_push("podman")),
            (f.add(Row("skopeo", "skopeo copy dir: → docker://…", extra=True,
                       na=na or (None if os.path.exists(os.path.join(src, "manifest.json")) else "no skopeo dir: copy"))),
             pusher(lambda dest: sh(["skopeo", "copy", "-q", "--dest-tls-verify=false", "dir:" + src,
                                     "docker://" + dest], timeout=600))),
        ]
        log("push of the Debian image")
        measure(rows, self.n("pull_warm"), self.n("push_rounds"))
        if ref:
            try:
                self.jpod_rmi(apis["jpod"], ref)
            except Exception:  # noqa: BLE001 - the private store goes with the work directory
                pass
            self.podman_rmi(ref)
        shutil.rmtree(src, ignore_errors=True)
        for a in apis.values():
            a.close()

    # -- profiles

    # -- cp, stats, pods, build: the API surfaces beyond run

    def podman_remote(self, sock):
        """podman's remote client (podman-remote's code in podman) against a socket."""
        return ["podman", "--remote", "--url", "unix://" + sock]

    def jpod_sleeper(self):
        """A running busybox `sleep` on jpod (no network), through the API; its id."""
        api = Api(self.jpod_sock)
        try:
            _, r = api.call("POST", f"{API}/containers/create",
                            {"Image": JPOD_IMAGE, "Cmd": ["sleep", "3600"], "Labels": {LABEL: "1"},
                             "HostConfig": host_config("none")}, ok=(201,))
            api.call("POST", f"{API}/containers/{r['Id']}/start", ok=(204,))
            return r["Id"]
        finally:
            api.close()

    def podman_sleeper(self):
        a = PODMAN + ["run", "-d", "--label", f"{LABEL}=1", "--network", "none"]
        for u in ULIMITS:
            a += ["--ulimit", u]
        return sh(a + [PODMAN_IMAGE, "sleep", "3600"])[1].strip().splitlines()[-1]

    def jpod_rm(self, cid):
        api = Api(self.jpod_sock)
        try:
            api.call("DELETE", f"{API}/containers/{cid}?force=1", ok=(204, 200, 404))
        except Exception as e:  # noqa: BLE001 - the clean-up at the end removes it by its label
            log(f"  removing {cid[:12]} from jpod: {e}")
        finally:
            api.close()

    def sleepers(self, f):
        """One running container in jpod and one in podman, for a figure's rows: (jpod id, podman id, jpod na)."""
        api_na = None if self.jpod_api else "no API: the jpod service's socket does not answer"
        jid = pid_ = None
        if api_na is None:
            try:
                jid = self.jpod_sleeper()
            except Exception as e:  # noqa: BLE001
                api_na = f"a running container in jpod could not be made: {str(e)[:300]}"
        pid_ = self.podman_sleeper()
        return jid, pid_, api_na

    def fig_cp(self):
        f = Figure("cp", "Copy of a 100 MiB file into a running container and back out",
                   "A file of 100 MiB of random bytes copied into a running busybox `sleep` (no network) and back out "
                   "to the host, each direction a row: the whole command. jpod: `docker cp` against jpod's socket "
                   "(Docker's archive endpoints: PUT and HEAD/GET /containers/{id}/archive) and `podman --remote cp` "
                   "against it (libpod's); podman: local `podman cp`, the × podman reference of every row; context: "
                   "`docker cp` against podman's API service. Each copy out writes a new file (removed after, untimed) "
                   "and its size is checked.")
        self.figures.append(f)
        src = os.path.join(self.work, "cp-100MiB.bin")
        with open(src, "wb") as out:
            for _ in range(100):
                out.write(os.urandom(1 << 20))
        jid, pid_, api_na = self.sleepers(f)
        docker_na = None if shutil.which("docker") else "no docker CLI"
        size = os.path.getsize(src)
        n = [0]

        def copy(argv_in, argv_out, cid, env=None):
            def into():
                return timed(lambda: sh(argv_in + [src, f"{cid}:/tmp/bench.bin"], env=env, timeout=600))

            def out_of():
                n[0] += 1
                dst = os.path.join(self.work, f"cp-out-{n[0]}.bin")
                try:
                    t = timed(lambda: sh(argv_out + [f"{cid}:/tmp/bench.bin", dst], env=env, timeout=600))
                    got = os.path.getsize(dst) if os.path.isfile(dst) else None
                    if got != size:
                        raise BenchError(f"the copy out is {got} bytes, not {size}")
                    return t
                finally:
                    if os.path.isdir(dst):
                        shutil.rmtree(dst, ignore_errors=True)
                    elif os.path.exists(dst):
                        os.remove(dst)
            return into, out_of
        contenders = [
            ("docker-jpod", "docker cp → jpod's socket", api_na or docker_na, False,
             copy(["docker", "cp", "-q"], ["docker", "cp", "-q"], jid, self.env_docker(self.jpod_sock))),
            ("remote-jpod", "podman --remote cp → jpod's socket", api_na, False,
             copy(self.podman_remote(self.jpod_sock) + ["cp"], self.podman_remote(self.jpod_sock) + ["cp"], jid)),
            ("podman-cli", "podman cp (local)", None, False, copy(PODMAN + ["cp"], PODMAN + ["cp"], pid_)),
            ("docker-podman", "docker cp → podman's socket", docker_na or (None if self.podman_api else
                                                                             "no podman service"), True,
             copy(["docker", "cp", "-q"], ["docker", "cp", "-q"], pid_, self.env_docker(self.podman_sock))),
        ]
        rows = []
        for way, fn_i, words in (("in", 0, "into the container"), ("out", 1, "out to the host")):
            for key, label, na, extra, fns in contenders:
                ref = None if key == "podman-cli" else f"podman-cli-{way}"
                rows.append((f.add(Row(f"{key}-{way}", f"{label}, {words}", na=na, podman_ref=ref, extra=extra)),
                             fns[fn_i]))
        log("cp of 100 MiB in and out")
        try:
            measure(rows, 1, self.n("cp_rounds"))
        finally:
            if jid:
                self.jpod_rm(jid)
            sh(PODMAN + ["rm", "-f", "-t", "0", pid_], check=False)
            os.remove(src)

    def fig_stats(self):
        f = Figure("stats", "Stats of one running container, once (`stats --no-stream`)",
                   "One running busybox `sleep` (no network) in each engine; one sample is the whole command printing "
                   "its table once. jpod: `docker stats --no-stream` against jpod's socket (Docker's GET "
                   "/containers/{id}/stats) and, as context, `podman --remote stats --no-stream` against it (libpod's "
                   "stats); podman: local `podman stats --no-stream`, the × podman reference; context: "
                   "`docker stats --no-stream` against podman's API service. docker's CLI asks one sample with "
                   "`stream=false`, in which the engine fills `precpu_stats` (a second reading) for the CPU %.")
        self.figures.append(f)
        jid, pid_, api_na = self.sleepers(f)
        docker_na = None if shutil.which("docker") else "no docker CLI"

        def run(argv, env=None):
            def once():
                t0 = time.perf_counter()
                _, out, _ = sh(argv, env=env, timeout=120)
                t = time.perf_counter() - t0
                if len(out.strip().splitlines()) < 2:
                    raise BenchError(f"no container row in the table: {out.strip()[:200]!r}")
                return t
            return once
        rows = [
            (f.add(Row("docker-jpod", "docker stats --no-stream → jpod's socket", na=api_na or docker_na,
                       podman_ref="podman-cli")),
             run(["docker", "stats", "--no-stream", jid or "-"], self.env_docker(self.jpod_sock))),
            (f.add(Row("podman-cli", "podman stats --no-stream (local)")),
             run(PODMAN + ["stats", "--no-stream", pid_])),
            (f.add(Row("remote-jpod", "podman --remote stats --no-stream → jpod's socket", na=api_na,
                       podman_ref="podman-cli", extra=True)),
             run(self.podman_remote(self.jpod_sock) + ["stats", "--no-stream", jid or "-"])),
            (f.add(Row("docker-podman", "docker stats --no-stream → podman's socket", extra=True, podman_ref="podman-cli",
                       na=docker_na or (None if self.podman_api else "no podman service"))),
             run(["docker", "stats", "--no-stream", pid_], self.env_docker(self.podman_sock))),
        ]
        log("stats --no-stream")
        try:
            measure(rows, 1, self.n("stats_rounds"))
        finally:
            if jid:
                self.jpod_rm(jid)
            sh(PODMAN + ["rm", "-f", "-t", "0", pid_], check=False)

    def kube_yaml(self, name, image):
        path = os.path.join(self.work, f"{name}.yaml")
        ctrs = "".join(f"""  - name: c{i}
    image: {image}
    imagePullPolicy: IfNotPresent
    command: ["sleep", "3600"]
""" for i in (1, 2))
        with open(path, "w") as f:
            f.write(f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
    {LABEL}: "1"
spec:
  restartPolicy: Never
  containers:
{ctrs}""")
        return path

    def fig_pod(self):
        f = Figure("pod", "A pod of two containers: create and start; the same pod from a Kubernetes YAML",
                   "Create and start: `pod create` of a pod (default network, its infra container) and `run -d --pod` "
                   "of two busybox `sleep`s in it, the three commands in one sample. jpod: through `podman --remote` "
                   "against jpod's socket (libpod's pod endpoints), and through `jpod pod create` + `jpod run -d "
                   "--pod`; podman: local `podman pod create` + `podman run -d --pod`, the × podman reference. "
                   "play kube: a Pod YAML of the same two containers (`imagePullPolicy: IfNotPresent`), `play kube` "
                   "through `podman --remote` against jpod and through `jpod play kube`, beside local `podman play "
                   "kube`. Between samples the pod is removed (untimed: `pod rm -f`, `play kube --down` for the YAML). "
                   "The `run` commands pass the harness's --ulimit; play kube has no such flag (jpod's private "
                   "jpod.conf gives its containers the same limits, podman's its defaults).")
        self.figures.append(f)
        api_na = None if self.jpod_api else "no API: the jpod service's socket does not answer"
        n = [0]

        def pod_run(client, image, cli_jpod=False, infra=True):
            def run_once():
                n[0] += 1
                name = f"jpod-bench-pod-{os.getpid()}-{n[0]}"
                env = self.env_cli() if cli_jpod else None
                lbl = ["--label", f"{LABEL}=1"]
                lim = [x for u in ULIMITS for x in ("--ulimit", u)]
                if cli_jpod and not self.cli_flags.get("ulimit"):
                    lim = []
                steps = [client + ["pod", "create", "--name", name] + lbl + ([] if infra else ["--infra=false"])]
                steps += [client + ["run", "-d", "--pod", name, "--name", f"{name}-c{i}"] + lbl + lim
                          + [image, "sleep", "3600"] for i in (1, 2)]
                try:
                    return timed(lambda: [sh(a, env=env, timeout=300) for a in steps])
                finally:  # killed first: busybox's sleep as pid 1 ignores SIGTERM, a stop would wait its timeout
                    sh(client + ["pod", "kill", name], env=env, check=False, timeout=300)
                    sh(client + ["pod", "rm", "-f", name], env=env, check=False, timeout=300)
            return run_once

        def kube(client, image, cli_jpod=False):
            def run_once():
                n[0] += 1
                name = f"jpod-bench-kube-{os.getpid()}-{n[0]}"
                env = self.env_cli() if cli_jpod else None
                y = self.kube_yaml(name, image)
                try:
                    return timed(lambda: sh(client + ["play", "kube", y], env=env, timeout=300))
                finally:
                    sh(client + ["pod", "kill", name], env=env, check=False, timeout=300)
                    sh(client + ["play", "kube", "--down", y], env=env, check=False, timeout=300)
                    sh(client + ["pod", "rm", "-f", name], env=env, check=False, timeout=300)
                    os.remove(y)
            return run_once
        remote = self.podman_remote(self.jpod_sock)
        cli = [self.cli()] if self.cli() else None
        rows = [
            (f.add(Row("remote-jpod", "podman --remote pod create + 2 × run -d --pod → jpod's socket", na=api_na,
                       podman_ref="podman-cli")), pod_run(remote, JPOD_IMAGE)),
            (f.add(Row("jpod-cli", "jpod pod create + 2 × jpod run -d --pod", na=self.cli_na, podman_ref="podman-cli")),
             pod_run(cli, JPOD_IMAGE, True)),
            (f.add(Row("podman-cli", "podman pod create + 2 × podman run -d --pod (local)")),
             pod_run(PODMAN, PODMAN_IMAGE)),
            (f.add(Row("podman-cli-noinfra", "podman pod create --infra=false + 2 × podman run -d --pod (local)",
                       extra=True)), pod_run(PODMAN, PODMAN_IMAGE, infra=False)),
            (f.add(Row("kube-remote-jpod", "podman --remote play kube → jpod's socket", na=api_na,
                       podman_ref="kube-podman")), kube(remote, JPOD_IMAGE)),
            (f.add(Row("kube-jpod-cli", "jpod play kube", na=self.cli_na, podman_ref="kube-podman")),
             kube(cli, JPOD_IMAGE, True)),
            (f.add(Row("kube-podman", "podman play kube (local)")), kube(PODMAN, PODMAN_IMAGE)),
        ]
        log("pod create + run --pod; play kube")
        measure(rows, 1, self.n("pod_rounds"))
        if f.row("podman-cli").error and f.row("podman-cli-noinfra").samples:
            # podman's infra container takes podman's own nofile limit (pod create has no --ulimit): where that
            # cannot be set, the pod without infra is the nearest podman reference, and it is named as such
            for k in ("remote-jpod", "jpod-cli"):
                f.row(k).podman_ref = "podman-cli-noinfra"
            f.what += (" Local podman's pod with its infra container did not start here (its row says why); the "
                       "jpod rows' × podman is then against `podman pod create --infra=false` (no infra container, "
                       "no shared namespaces: less work than a pod with one).")

    def build_context(self, name, base):
        d = os.path.join(self.work, name)
        os.makedirs(os.path.join(d, "src"), exist_ok=True)
        for i in range(20):
            with open(os.path.join(d, "src", f"part{i}.txt"), "w") as f:
                f.write(f"part {i}\n" * 200)
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write(f"""FROM {base} AS build
COPY src /src
RUN mkdir -p /out && for i in $(seq 1 50); do cat /src/part*.txt > /out/file$i; done && echo built > /out/stamp
FROM {base}
COPY --from=build /out /app
ENV GREETING=hello MODE=bench
WORKDIR /app
CMD ["cat", "/app/stamp"]
""")
        return d

    def buildah_store(self):
        """buildah's private store under the work directory, with the busybox image loaded from etc/busybox.tar
        (a scratch container, the tarball added at /, committed under podman's name for it); its argv prefix."""
        last = None
        for driver in ("overlay", "vfs"):
            root = os.path.join(self.work, f"buildah-{driver}")
            b = ["buildah", "--root", os.path.join(root, "root"), "--runroot", os.path.join(root, "run"),
                 "--storage-driver", driver]
            try:
                ctr = sh(b + ["from", "scratch"])[1].strip().splitlines()[-1]
                sh(b + ["add", ctr, self.busybox_tar, "/"])
                sh(b + ["commit", "-q", ctr, PODMAN_IMAGE])
                sh(b + ["rm", ctr])
                return b, driver
            except BenchError as e:
                last = e
                self.buildah_drop(b, root)
        raise BenchError(f"buildah's private store: {last}")

    def buildah_drop(self, b, root):
        sh(b + ["rm", "-a"], check=False, timeout=300)
        sh(b + ["rmi", "-a", "-f"], check=False, timeout=300)
        _, out, _ = sh(["findmnt", "-rn", "-o", "TARGET"], check=False)
        for m in sorted((l for l in out.splitlines() if l.startswith(root)), key=len, reverse=True):
            sh(["umount", "-l", m], check=False)
        shutil.rmtree(root, ignore_errors=True)

    def podman_build_store(self):
        """podman with a store of its own under the work directory (its build cache, the images it builds and their
        intermediate layers are then the harness's alone), the busybox tarball imported as in the shared store."""
        root = os.path.join(self.work, "podman-build")
        p = PODMAN + ["--root", os.path.join(root, "root"), "--runroot", os.path.join(root, "run"),
                      "--tmpdir", os.path.join(root, "tmp"), "--storage-driver", "overlay"]
        sh(p + ["import", "--quiet", self.busybox_tar, PODMAN_IMAGE])
        return p, root

    def fig_build(self):
        f = Figure("build", "Multi-stage build of a small project, cold and with a warm cache",
                   "A two-stage Dockerfile: `FROM busybox AS build`, `COPY src` (20 files, 64 KB), a `RUN` that writes "
                   "51 files, then `FROM busybox`, `COPY --from=build`, `ENV`, `WORKDIR`, `CMD`; the busybox of etc/"
                   "busybox.tar in every store. Cold: `--no-cache` (every step runs); warm: the same build again with "
                   "every step cached (the warm-up builds it once). Each sample is the whole command. jpod: "
                   "`DOCKER_BUILDKIT=0 docker build` against jpod's socket (the classic builder's POST /build); "
                   "podman: local `podman build` on a store of its own under the work directory (overlay), the × "
                   "podman reference; buildah: `buildah bud --layers` on a private `--root/--runroot` (the driver is "
                   "in its row). All with the harness's --ulimit. The cold images are removed between samples "
                   "(untimed); the cache stays.")
        self.figures.append(f)
        api_na = None if self.jpod_api else "no API: the jpod service's socket does not answer"
        docker_na = None if shutil.which("docker") else "no docker CLI"
        lim = [x for u in ULIMITS for x in ("--ulimit", u)]
        tag = "localhost/jpod-bench-build"
        ctx_jpod = self.build_context("build-jpod", JPOD_IMAGE)
        ctx_pod = self.build_context("build-podman", PODMAN_IMAGE)
        buildah_na = podman_na = None
        b, p = None, None
        try:
            b, driver = self.buildah_store()
        except BenchError as e:
            buildah_na, driver = str(e)[:300], "?"
        try:
            p, proot = self.podman_build_store()
        except BenchError as e:
            podman_na, proot = f"podman's private store: {str(e)[:300]}", None
        denv = dict(self.env_docker(self.jpod_sock), DOCKER_BUILDKIT="0")

        def docker(mode):
            def once():
                t = timed(lambda: sh(["docker", "build", "-q", "-t", f"{tag}:{mode}"] + lim
                                     + (["--no-cache"] if mode == "cold" else []) + [ctx_jpod], env=denv, timeout=900))
                if mode == "cold":
                    sh(["docker", "rmi", "-f", f"{tag}:cold"], env=denv, check=False)
                return t
            return once

        def libpod(prefix, verb, mode):
            def once():
                t = timed(lambda: sh(prefix + [verb, "-q", "--layers", "-t", f"{tag}:{mode}"] + lim
                                     + (["--no-cache"] if mode == "cold" else []) + [ctx_pod], timeout=900))
                if mode == "cold":
                    sh(prefix + ["rmi", "-f", f"{tag}:cold"], check=False)
                return t
            return once
        rows = []
        for mode in ("cold", "warm"):
            words = "--no-cache" if mode == "cold" else "warm cache"
            rows += [
                (f.add(Row(f"docker-jpod-{mode}", f"DOCKER_BUILDKIT=0 docker build → jpod's socket, {words}",
                           na=api_na or docker_na, podman_ref=f"podman-{mode}")), docker(mode)),
                (f.add(Row(f"podman-{mode}", f"podman build (local, own overlay store), {words}", na=podman_na)),
                 libpod(p, "build", mode)),
                (f.add(Row(f"buildah-{mode}", f"buildah bud --layers ({driver}, private root), {words}", na=buildah_na,
                           podman_ref=f"podman-{mode}", extra=True)), libpod(b, "bud", mode)),
            ]
        log("multi-stage build, cold and warm")
        try:
            measure(rows, 1, self.n("build_rounds"))
            r = f.row("docker-jpod-warm")
            if r.samples:  # what jpod built must be what the Dockerfile says
                _, out, _ = sh(["docker", "run", "--rm", f"{tag}:warm"], env=denv, check=False, timeout=120)
                if out.strip() != "built":
                    r.error = f"the built image's CMD printed {out.strip()[:100]!r}, not 'built'"
        finally:
            if not api_na:
                sh(["docker", "rmi", "-f", f"{tag}:warm", f"{tag}:cold"], env=denv, check=False)
                a = Api(self.jpod_sock)
                try:
                    a.call("POST", f"{API}/build/prune", ok=(200,))
                except Exception as e:  # noqa: BLE001 - the store is the run's own and goes at clean-up
                    log(f"  jpod build prune: {e}")
                finally:
                    a.close()
            if b:
                self.buildah_drop(b, b[2].rsplit("/", 1)[0])
            if p:
                sh(p + ["rmi", "-a", "-f"], check=False, timeout=300)
                _, out, _ = sh(["findmnt", "-rn", "-o", "TARGET"], check=False)
                for m in sorted((l for l in out.splitlines() if l.startswith(proot)), key=len, reverse=True):
                    sh(["umount", "-l", m], check=False)
                shutil.rmtree(proot, ignore_errors=True)
            shutil.rmtree(ctx_jpod, ignore_errors=True)
            shutil.rmtree(ctx_pod, ignore_errors=True)

    def call_breakdown(self):
        """Per API call times of a run (create, start, wait, delete) on both services: where a run's time goes."""
        engines = [(n, sock, img) for n, sock, img, ok in
                   (("jpod", self.jpod_sock, JPOD_IMAGE, self.jpod_api),
                    ("podman", self.podman_sock, PODMAN_IMAGE, self.podman_api)) if ok]
        if not engines:
            return
        log("per-call times of a run through the API")
        out = {}
        rounds = 5 if self.quick else 15
        for network in ("none", "default"):
            calls = {n: collections.defaultdict(list) for n, _, _ in engines}
            apis = {n: Api(sock) for n, sock, _ in engines}
            try:
                for i in range(rounds + 1):
                    for n, sock, img in (engines if i % 2 == 0 else list(reversed(engines))):
                        a, c = apis[n], calls[n]
                        t = time.perf_counter()
                        cid = api_create(a, img, network)
                        t1 = time.perf_counter()
                        a.call("POST", f"{API}/containers/{cid}/start", ok=(204,))
                        t2 = time.perf_counter()
                        a.call("POST", f"{API}/containers/{cid}/wait", ok=(200,))
                        t3 = time.perf_counter()
                        a.call("DELETE", f"{API}/containers/{cid}", ok=(204, 200))
                        t4 = time.perf_counter()
                        if i == 0:
                            continue  # warm-up
                        for k, v in (("create", t1 - t), ("start", t2 - t1), ("wait", t3 - t2), ("delete", t4 - t3),
                                     ("total", t4 - t)):
                            c[k].append(v)
            except Exception as e:  # noqa: BLE001
                out[network] = {"error": str(e)[:300]}
                continue
            finally:
                for a in apis.values():
                    a.close()
            out[network] = {n: {k: round(statistics.median(v), 6) for k, v in c.items()} for n, c in calls.items()}
        self.breakdown = {"rounds": rounds, "by_network": out}

    def profile(self):
        if not self.dist:
            return
        if self.jpod_api:
            log("profile: the service under JFR while it runs containers through the API")
            jfr = os.path.join(self.work, "service.jfr")
            if self.jpod:
                self.stop(self.jpod)
                self.jpod = None
            p, t0, err = self.start_jpod("jfr", f"-XX:StartFlightRecording=filename={jfr},settings=profile,dumponexit=true")
            try:
                _, t_api = self.wait_ready(p, self.jpod_sock, 120, err)
                if t_api is None:
                    raise BenchError("not ready")
                a = Api(self.jpod_sock)
                t = time.perf_counter()
                for _ in range(10):
                    api_run(a, JPOD_IMAGE, "none")
                t_none = (time.perf_counter() - t) / 10
                t = time.perf_counter()
                for _ in range(5):
                    api_run(a, JPOD_IMAGE, "default")
                t_bridge = (time.perf_counter() - t) / 5
                t = time.perf_counter()
                for _ in range(100):
                    api_create(a, JPOD_IMAGE)
                t_create = time.perf_counter() - t
                for _ in range(5):
                    a.call("GET", f"{API}/containers/json?all=1", ok=(200,))
                a.close()
                api_remove_all(self.jpod_sock)
                wl = (f"10 API runs of `true` with no network (mean {t_none*1000:.0f} ms), 5 on the bridge (mean "
                      f"{t_bridge*1000:.0f} ms), 100 sequential creates ({t_create:.2f} s), 5 lists, then removal")
            except Exception as e:  # noqa: BLE001
                wl = f"workload failed: {e}"
            finally:
                self.stop(p)
            self.profiles.append(self.jfr_summary("jpod service, API workload", jfr, wl))
        log("profile: the one-shot jpod-service --exec under JFR")
        jfr = os.path.join(self.work, "oneshot.jfr")
        try:
            t = timed(lambda: sh([os.path.join(self.dist, "bin/jpod-service"), "--exec", "jpod:run busybox true"],
                                 env=self.env_jpod(f"-XX:StartFlightRecording=filename={jfr},settings=profile,"
                                                   "dumponexit=true"), timeout=300))
            self.profiles.append(self.jfr_summary(
                "one-shot `jpod-service --exec 'jpod:run busybox true'`", jfr,
                f"one run, {t:.2f} s under JFR: JVM start, Felix and every bundle, assembly, one container on the "
                "bridge, framework stop"))
        except BenchError as e:
            self.profiles.append({"title": "one-shot jpod-service under JFR", "error": str(e)})

    def jfr_summary(self, title, path, workload):
        out = {"title": title, "workload": workload, "file": os.path.basename(path)}
        if not os.path.exists(path):
            out["error"] = "no recording was written"
            return out
        try:
            _, txt, _ = sh(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path], timeout=300)
            events = json.loads(txt)["recording"]["events"]
        except Exception as e:  # noqa: BLE001
            out["error"] = f"jfr print failed: {e}"
            return out
        self_top, jpod_incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
        for ev in events:
            v = ev["values"]
            frames = (v.get("stackTrace") or {}).get("frames") or []
            names = frame_names(frames)
            th = (v.get("sampledThread") or {}).get("javaName") or "?"
            threads[th.rstrip("0123456789-# ") or th] += 1
            if names:
                self_top[names[0]] += 1
            for n_ in set(names):
                if n_.startswith("io.jpod."):
                    jpod_incl[n_] += 1
        total = len(events)
        out["samples"] = total
        out["hot_methods"] = [[m, c] for m, c in self_top.most_common(12)]
        out["jpod_inclusive"] = [[m, c] for m, c in jpod_incl.most_common(15)]
        out["threads"] = [[t, c] for t, c in threads.most_common(8)]
        # time spent waiting in Java (park, monitor, sleep, socket and file reads above JFR's threshold),
        # by the first jpod frame of the stack
        try:
            _, txt, _ = sh(["jfr", "print", "--json", "--events",
                            "jdk.ThreadPark,jdk.JavaMonitorWait,jdk.ThreadSleep,jdk.SocketRead,jdk.FileRead,"
                            "jdk.GarbageCollection", path], timeout=300)
            waits, gc_ms, gc_n = collections.Counter(), 0.0, 0
            for ev in json.loads(txt)["recording"]["events"]:
                v = ev["values"]
                d = parse_duration(v.get("duration"))
                if ev["type"] == "jdk.GarbageCollection":
                    gc_ms += d * 1000
                    gc_n += 1
                    continue
                frames = (v.get("stackTrace") or {}).get("frames") or []
                names = frame_names(frames)
                where = next((n_ for n_ in names if n_.startswith("io.jpod.")), None)
                if where is None:  # idle pools and the framework's own threads: not the engine's waits
                    continue
                waits[f"{ev['type'].split('.')[-1]} in {where} (under {names[0]})"] += d
            out["waits_s"] = [[w, round(s, 3)] for w, s in waits.most_common(12)]
            out["gc"] = {"collections": gc_n, "total_ms": round(gc_ms, 1)}
        except Exception as e:  # noqa: BLE001
            out["waits_error"] = str(e)[:200]
        return out

    # -- JMH

    def run_jmh(self):
        pom = os.path.join(BENCH, "jmh/pom.xml")
        log("JMH: building bench/jmh")
        try:
            sh(["mvn", "-B", "-q", "-ntp", "-f", pom, "package"], timeout=900)
        except BenchError as e:
            self.jmh = {"error": f"build failed: {e}"}
            return
        cp = os.path.join(BENCH, "jmh/target/classes") + ":" + open(os.path.join(BENCH, "jmh/target/classpath.txt")).read().strip()
        jwork = tempfile.mkdtemp(prefix="jpod-bench-jmh.")
        out = os.path.join(jwork, "jmh.json")
        opts = (["-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"] if self.quick
                else ["-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "2s"])
        log("JMH: running (" + " ".join(opts) + ")")
        try:
            sh(["java", "-Djpod.bench.work=" + jwork, "-cp", cp, "org.openjdk.jmh.Main", "-rf", "json", "-rff", out]
               + opts + self.args.jmh_args, timeout=7200)
            with open(out) as f:
                res = json.load(f)
            rows = []
            for b in res:
                pm = b["primaryMetric"]
                rows.append({"benchmark": b["benchmark"].replace("io.jpod.bench.jmh.", ""), "mode": b["mode"],
                             "threads": b.get("threads"), "params": b.get("params") or {},
                             "score": pm["score"], "error": pm.get("scoreError"), "unit": pm["scoreUnit"]})
            self.jmh = {"rows": rows, "options": " ".join(opts)}
        except Exception as e:  # noqa: BLE001
            self.jmh = {"error": str(e)[:500]}
        finally:
            shutil.rmtree(jwork, ignore_errors=True)

    # -- cleanup

    def cleanup(self):
        log("cleaning up")
        if self.probe:
            self.probe.close()
        if self.jpod_sock and os.path.exists(self.jpod_sock) and self.jpod and self.jpod.poll() is None:
            try:
                api_remove_all(self.jpod_sock)
            except Exception:  # noqa: BLE001
                pass
        for _, p in list(self.procs):
            self.stop(p)
        try:
            self.podman_remove_all()
        except Exception as e:  # noqa: BLE001
            log(f"podman containers: {e}")
        _, out, _ = sh(PODMAN + ["pod", "ps", "-q", "--filter", f"label={LABEL}=1"], check=False)
        for pid_ in out.split():  # the pod figure's pods, should it stop half-way
            sh(PODMAN + ["pod", "rm", "-f", pid_], check=False, timeout=300)
        if self.podman_imported:
            sh(PODMAN + ["rmi", "-f", PODMAN_IMAGE], check=False)
            if self.podman_image_id:  # left dangling (no name of anyone's): the image itself
                rc, tags, _ = sh(PODMAN + ["image", "inspect", "--format", "{{.RepoTags}}", self.podman_image_id],
                                 check=False)
                if rc == 0 and tags.strip() == "[]":
                    sh(PODMAN + ["rmi", "-f", self.podman_image_id], check=False)
        for ref in self.podman_refs:
            sh(PODMAN + ["rmi", "-f", ref], check=False)
        rr = getattr(self, "runc_root", None)
        if rr and os.path.isdir(rr):
            _, out, _ = sh(["runc", "--root", rr, "list", "-q"], check=False)
            for cid in out.split():
                sh(["runc", "--root", rr, "delete", "-f", cid], check=False)
        # conmon of jpod's containers (started by our service): by pid, when their command line names our directory
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmd = f.read().decode(errors="replace")
                except OSError:
                    continue
                if self.work in cmd and os.path.basename(cmd.split("\0")[0]) == "conmon":
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except OSError:
                        pass
        # mounts under the work directory, deepest first
        _, out, _ = sh(["findmnt", "-rn", "-o", "TARGET"], check=False)
        for m in sorted((l for l in out.splitlines() if l.startswith(self.work)), key=len, reverse=True):
            sh(["umount", "-l", m], check=False)
        seg = "/dev/shm/jpod_locks_" + hashlib.sha256((self.work + "/run").encode()).hexdigest()[:12]
        if os.path.exists(seg):
            os.remove(seg)
        before, now = self.host_before, self.host_state()
        for br in ("jpod0", "podman0"):
            if now.get(br) and not before.get(br):
                members = sh(["ip", "-o", "link", "show", "master", br], check=False)[1].strip()
                if not members:
                    sh(["ip", "link", "del", br], check=False)
        new_chains = now["chains"] - before.get("chains", set())
        if new_chains:
            self.drop_chains(new_chains)
        if self.args.keep:
            log(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def drop_chains(self, chains):
        """The CNI and netavark chains this run made (nobody else's): jumps to them, then the chains."""
        for table in ("filter", "nat", "mangle"):
            _, rules, _ = sh(["iptables", "-t", table, "-S"], check=False)
            for line in rules.splitlines():
                parts = shlex.split(line)
                if parts[:1] == ["-A"] and "-j" in parts and parts[parts.index("-j") + 1] in chains \
                        and parts[1] not in chains:
                    sh(["iptables", "-t", table, "-D"] + parts[1:], check=False)
            for c in chains:
                sh(["iptables", "-t", table, "-F", c], check=False)
            for c in chains:
                sh(["iptables", "-t", table, "-X", c], check=False)

    # -- report

    def machine(self):
        cpu = "?"
        try:
            with open("/proc/cpuinfo") as f:
                cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
        except (OSError, StopIteration):
            pass
        mem = "?"
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
        osr = "?"
        try:
            with open("/etc/os-release") as f:
                osr = next(l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME"))
        except (OSError, StopIteration):
            pass

        def ver(argv):
            try:
                return sh(argv, check=False, timeout=30)[1].strip().splitlines()[0]
            except Exception:  # noqa: BLE001
                return "?"
        return {"hostname": socket.gethostname(), "cpu": cpu, "cpus": os.cpu_count(), "memory": mem, "os": osr,
                "kernel": platform.release(),
                "java": ver(["sh", "-c", "java -version 2>&1 | head -1"]), "runc": ver(["runc", "--version"]),
                "conmon": ver(["conmon", "--version"]), "podman": ver(["podman", "--version"]),
                "docker_cli": ver(["docker", "version", "--format", "{{.Client.Version}}"]),
                "load_before": [round(x, 2) for x in self.load_before],
                "load_after": [round(x, 2) for x in os.getloadavg()]}

    def resolve(self, fig, ref):
        if ref is None:
            return None
        if ref.startswith("@"):
            fk, rk = ref[1:].split(".", 1)
            fig = next((f for f in self.figures if f.key == fk), None)
            ref = rk
            if fig is None:
                return None
        r = fig.row(ref)
        st = r.stats() if r else None
        return st["median"] if st else None

    def report(self):
        finished = datetime.datetime.now(datetime.timezone.utc)
        git = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], check=False)[1].strip()
        dirty = bool(sh(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"], check=False)[1].strip())
        doc = {"started": self.started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
               "mode": "quick" if self.quick else "full", "commit": git + (" (work tree modified)" if dirty else ""),
               "machine": self.machine(), "distribution": self.dist_source, "figures": [], "notes": self.notes,
               "profiles": self.profiles, "call_breakdown": self.breakdown, "jmh": self.jmh}
        for fig in self.figures:
            fd = {"key": fig.key, "title": fig.title, "what": fig.what, "second": fig.second, "rows": []}
            for r in fig.rows:
                st = r.stats()
                rd = {"key": r.key, "label": r.label, "unit": r.unit, "extra": r.extra}
                if r.na:
                    rd["na"] = r.na
                elif r.error and not st:
                    rd["failed"] = r.error
                if st:
                    rd.update(st)
                    rd["samples"] = [round(x, 6) for x in r.samples]
                    if r.error:
                        rd["failed_after"] = r.error
                    pm = self.resolve(fig, r.podman_ref)
                    if pm:
                        rd["vs_podman"] = round(st["median"] / pm, 3)
                        rd["vs_podman_ref"] = r.podman_ref
                    rm_ = self.resolve(fig, r.runc_ref)
                    if rm_:
                        rd[f"vs_{fig.second}"] = round(st["median"] / rm_, 3)
                if r.goal:
                    if r.goal[0] == "ratio":
                        rd["goal"] = f"≤ {r.goal[2]}× {('runc' if 'runc' in r.goal[1] else r.goal[1])}"
                        ref = self.resolve(fig, r.goal[1])
                        if st and ref:
                            rd["goal_met"] = st["median"] / ref <= r.goal[2]
                    else:
                        rd["goal"] = f"≤ {fmt(r.goal[1], r.unit)}"
                        if st:
                            rd["goal_met"] = st["median"] <= r.goal[1]
                            rd["vs_goal"] = round(st["median"] / r.goal[1], 3)
                fd["rows"].append(rd)
            doc["figures"].append(fd)
        stamp = self.started.strftime("%Y-%m-%d-%H%M")
        outdir = self.args.out
        os.makedirs(outdir, exist_ok=True)
        jpath, mpath = os.path.join(outdir, f"{stamp}.json"), os.path.join(outdir, f"{stamp}.md")
        with open(jpath, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        with open(mpath, "w") as f:
            f.write(markdown(doc))
        log(f"wrote {mpath} and {jpath}")


class HashWriter:
    """A write-only file that hashes (sha256) and counts what passes through to the one under it."""

    def __init__(self, under):
        self.under, self.h, self.size = under, hashlib.sha256(), 0

    def write(self, b):
        self.h.update(b)
        self.size += len(b)
        return self.under.write(b)

    def flush(self):
        pass

    def digest(self):
        return self.h.hexdigest()


def tar_root(ti):
    """Layer entries as an image builder writes them: numeric owners only."""
    ti.uname = ti.gname = ""
    return ti


def stream_ok(payload):
    """A pull's or push's stream (JSON documents one after another), read to its end: an `error` in it is a
    failure. Returns the documents."""
    text, docs, i, dec = payload.decode(errors="replace"), [], 0, json.JSONDecoder()
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        try:
            d, i = dec.raw_decode(text, i)
        except ValueError:
            raise BenchError(f"not a JSON stream: {text[i:i + 200]!r}")
        docs.append(d)
    for d in docs:
        if isinstance(d, dict) and (d.get("error") or d.get("errorDetail")):
            raise BenchError(f"the stream says: {str(d.get('error') or d.get('errorDetail'))[:300]}")
    return docs


def apt_mirror():
    """The Debian mirror apt reaches (the first deb.debian.org-like URI of its sources), for debootstrap."""
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")) + ["/etc/apt/sources.list"]:
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        for line in text.splitlines():
            words = line.split()
            uris = [w for w in words[1:] if w.startswith("http")] if words[:1] in (["URIs:"], ["deb"]) else []
            for u in uris:
                if "security" not in u and u.startswith("http"):
                    return u
    return "http://deb.debian.org/debian"


HOTSWAP_BUNDLES = ["jpod-events-file", "jpod-oci-conmon"]
# the Debian image's layers, base first; a path goes to the last whose prefixes hold it ([]: any path)
DEBIAN_LAYERS = [("everything else", []), ("/usr, the rest", ["usr"]), ("/usr/lib", ["usr/lib"]),
                 ("/usr/share", ["usr/share"])]
DEBIAN_SKIP = ("var/cache/apt/archives/", "var/lib/apt/lists/", "dev/", "debootstrap/")
HOTSWAP_WHAT = ("A provider bundle of the running service updated through Felix FileInstall, as an operator drops a new "
                "jar: the jar the distribution ships is copied into deploy/ (a new mtime each time); FileInstall finds "
                "the installed bundle of that symbolic name and version and updates it. The goal row is timed by the "
                "service's own log time stamps (ms): from `taking the engine down` (the update stops the bundle and "
                "its provider goes) to `engine assembled` again. The context row is the operator's view: from the "
                "copy to the API answering a container list again, so it includes FileInstall's poll "
                "(felix.fileinstall.poll = 1 s, so 0–1 s of it). One container (`sleep`, no network) runs "
                "throughout and must keep its process; each update must take the engine down exactly once.")


def log_time(line):
    """The time stamp that starts a service log line (slf4j-simple, ms precision)."""
    return datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00"))


def assembled_at(path):
    """The time stamp of the first `engine assembled:` line of a service log, or None."""
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if "engine assembled:" in line:
                    stamp = line.split()[0].replace("Z", "+00:00")
                    return datetime.datetime.fromisoformat(stamp)
    except (OSError, ValueError):
        pass
    return None


def frame_names(frames):
    """Class.method of each frame, dotted, lambda class suffixes dropped."""
    out = []
    for fr in frames:
        m = fr.get("method")
        if not m:
            continue
        t = m["type"]["name"].replace("/", ".")
        if "$$Lambda$" in t:
            t = t.split("$$Lambda$")[0] + "$$Lambda"
        out.append(f"{t}.{m['name']}")
    return out


def parse_duration(v):
    """JFR's JSON durations: 'PT0.0123S' or numbers of ns."""
    if v is None:
        return 0.0
    if isinstance(v, (int, float)):
        return v / 1e9
    s = str(v)
    if s.startswith("PT"):
        total, num = 0.0, ""
        for ch in s[2:]:
            if ch.isdigit() or ch in ".-":
                num += ch
            else:
                total += float(num or 0) * {"H": 3600, "M": 60, "S": 1}.get(ch, 0)
                num = ""
        return total
    return 0.0


def markdown(doc):
    m = doc["machine"]
    L = [f"# jpod benchmark, {doc['started']} ({doc['mode']} run)", "",
         f"Machine: **{m['hostname']}**: {m['cpu']}, {m['cpus']} CPUs, {m['memory']}, {m['os']}, kernel {m['kernel']}. "
         f"{m['java']}; {m['runc']}; {m['conmon']}; {m['podman']}; docker CLI {m['docker_cli']}. "
         f"Load average before/after: {m['load_before']} / {m['load_after']} (the machine is shared: other "
         f"builds running at the same time add noise).", "",
         f"jpod at commit {doc['commit']}; finished {doc['finished']}. Medians of repeated runs after warm-up, "
         "contenders interleaved; spread = interquartile range (q1–q3) and min–max. × podman compares like with "
         "like (API with podman's API service doing the same calls, CLI with podman's CLI); × runc is against bare "
         "`runc run` with no network. Rows marked (context) go beyond the issue's list.", ""]
    for n in doc["notes"]:
        L.append(f"- Note: {n}")
    if doc["notes"]:
        L.append("")
    for fd in doc["figures"]:
        second = fd.get("second", "runc")
        L += [f"## {fd['title']}", "", fd["what"], "",
              f"| contender | median | q1–q3 | min–max | n | × podman | × {second} | goal |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
        for r in fd["rows"]:
            u = r["unit"]
            label = r["label"] + (" (context)" if r.get("extra") else "")
            goal = r.get("goal", "")
            if "goal_met" in r:
                goal += " — **met**" if r["goal_met"] else " — **missed**"
                if "vs_goal" in r:
                    goal += f" ({r['vs_goal']:.2f}× the goal)"
            if "na" in r:
                L.append(f"| {label} | n/a: {r['na']} | | | | | | {goal} |")
            elif "failed" in r:
                L.append(f"| {label} | failed: {r['failed'][:200].replace('|', '/').replace(chr(10), ' ')} | | | | | | {goal} |")
            elif "median" not in r:
                L.append(f"| {label} | not measured | | | | | | {goal} |")
            else:
                vp = f"{r['vs_podman']:.2f}×" if "vs_podman" in r else ""
                vr = f"{r['vs_' + second]:.2f}×" if "vs_" + second in r else ""
                L.append(f"| {label} | {fmt(r['median'], u)} | {fmt(r['q1'], u)}–{fmt(r['q3'], u)} | "
                         f"{fmt(r['min'], u)}–{fmt(r['max'], u)} | {r['n']} | {vp} | {vr} | {goal} |")
                if r.get("failed_after"):
                    L.append(f"| ↳ then failed: {r['failed_after'][:200].replace('|', '/').replace(chr(10), ' ')} | | | | | | | |")
        L.append("")
    missed = [(fd["title"], r["label"]) for fd in doc["figures"] for r in fd["rows"] if r.get("goal_met") is False]
    L += ["## Goals", ""]
    if missed:
        L += [f"- missed: {t} — {l}" for t, l in missed]
        L += ["  (where the time of the jpod rows goes: the per-call table and the JFR summaries below)"]
    goals = [(fd["title"], r) for fd in doc["figures"] for r in fd["rows"] if r.get("goal")]
    for t, r in goals:
        if "goal_met" not in r:
            L.append(f"- not measured: {t} — {r['label']} ({r['goal']}): {r.get('na') or r.get('failed') or '?'}")
        elif r["goal_met"]:
            L.append(f"- met: {t} — {r['label']} ({r['goal']})")
    L.append("")
    bd = doc.get("call_breakdown")
    if bd:
        L += ["## Where a run's time goes: per API call", "",
              f"Median of {bd['rounds']} runs per engine (after one warm-up), interleaved, each call timed by the "
              "client on a keep-alive connection. `wait` is from the start call's answer to the exit.", ""]
        for network, per in bd["by_network"].items():
            L += [f"Network `{network}`:", ""]
            if "error" in per:
                L += [f"failed: {per['error']}", ""]
                continue
            names = list(per)
            L += ["| call | " + " | ".join(names) + (" | jpod ÷ podman |" if len(names) == 2 else " |"),
                  "|---|" + "---:|" * (len(names) + (1 if len(names) == 2 else 0))]
            for call in ("create", "start", "wait", "delete", "total"):
                vals = [per[n].get(call) for n in names]
                line = f"| {call} | " + " | ".join(fmt(v, "s") for v in vals) + " |"
                if len(names) == 2 and vals[1]:
                    line += f" {vals[0] / vals[1]:.2f}× |"
                L.append(line)
            L.append("")
    if doc["profiles"]:
        L += ["## Where the time goes (JFR)", ""]
        for p in doc["profiles"]:
            L += [f"### {p['title']}", ""]
            if p.get("workload"):
                L += [f"Workload: {p['workload']}.", ""]
            if p.get("error"):
                L += [f"No summary: {p['error']}", ""]
                continue
            L += [f"{p['samples']} execution samples (Java threads on CPU, every 10–20 ms)."
                  + (f" GC: {p['gc']['collections']} collections, {p['gc']['total_ms']} ms in total." if p.get("gc")
                     else ""), ""]
            L += ["| hottest methods (self) | samples |", "|---|---:|"]
            L += [f"| `{mm}` | {c} |" for mm, c in p["hot_methods"]]
            L += ["", "| jpod methods on the stack (inclusive) | samples |", "|---|---:|"]
            L += [f"| `{mm}` | {c} |" for mm, c in p["jpod_inclusive"]]
            L += ["", "| threads | samples |", "|---|---:|"]
            L += [f"| {t} | {c} |" for t, c in p["threads"]]
            if p.get("waits_s"):
                L += ["", "| waiting in Java (park, monitor, sleep, socket/file read ≥ JFR threshold), by first jpod "
                          "frame | seconds |", "|---|---:|"]
                L += [f"| {w.replace('|', '/')} | {s} |" for w, s in p["waits_s"]]
            L.append("")
    j = doc.get("jmh")
    L += ["## JMH micro benchmarks (bench/jmh)", ""]
    if not j:
        L += ["Not run (`--no-jmh`).", ""]
    elif j.get("error"):
        L += [f"Failed: {j['error']}", ""]
    else:
        L += [f"Options: `{j['options']}`. Average time per operation (lower is better) unless the unit says "
              "otherwise; ± is JMH's 99.9% confidence half-width.", "",
              "| benchmark | params | threads | score | ± | unit |", "|---|---|---:|---:|---:|---|"]
        for r in j["rows"]:
            params = ", ".join(f"{k}={v}" for k, v in r["params"].items())
            err = r["error"]
            err = "" if err is None or err != err else f"{err:.3g}"
            L.append(f"| {r['benchmark']} | {params} | {r['threads']} | {r['score']:.3g} | {err} | {r['unit']} |")
        L.append("")
    return "\n".join(L)


FIGURES = ["oneshot", "service", "start-none", "start-bridge", "create", "cli", "list", "hotswap", "pull", "push",
           "cp", "stats", "pod", "build", "breakdown", "profile", "jmh"]


def main():
    ap = argparse.ArgumentParser(description="jpod beside podman and runc; see bench/README.md")
    ap.add_argument("--quick", action="store_true", help="fewer rounds and short JMH iterations")
    ap.add_argument("--no-jmh", action="store_true", help="skip the JMH micro benchmarks")
    ap.add_argument("--only-jmh", action="store_true", help="only the JMH micro benchmarks")
    ap.add_argument("--no-profile", action="store_true", help="skip the JFR profiles")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, JFR recordings)")
    ap.add_argument("--many", type=int, default=0, help="containers for the list and memory figures (default 1000)")
    ap.add_argument("--out", default=os.path.join(BENCH, "results"))
    ap.add_argument("--figures", default="",
                    help="only these, comma-separated: " + ",".join(FIGURES) + " (e.g. --figures hotswap)")
    ap.add_argument("--jmh-args", nargs=argparse.REMAINDER, default=[],
                    help="the rest is passed to JMH (e.g. a benchmark regexp)")
    args = ap.parse_args()
    chosen = [x.strip() for x in args.figures.split(",") if x.strip()]
    unknown = [x for x in chosen if x not in FIGURES]
    if unknown:
        ap.error(f"unknown figure {', '.join(unknown)}: choose from {', '.join(FIGURES)}")

    def want(key):
        if chosen:
            return key in chosen
        return not (key == "jmh" and args.no_jmh or key == "profile" and args.no_profile
                    or args.only_jmh and key != "jmh")
    if os.geteuid() != 0:
        print("bench/run needs root (runc, podman and jpod run rootful here)", file=sys.stderr)
        return 0
    b = Bench(args)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    try:
        if any(want(k) for k in FIGURES if k != "jmh"):
            b.setup()
            if want("oneshot"):
                b.fig_oneshot()
            if want("service"):
                b.fig_service_start()
            # the long-lived services: for the figures that compare through them (hotswap starts its own without)
            if any(want(k) for k in ("start-none", "start-bridge", "create", "cli", "list", "pull", "push", "cp",
                                     "stats", "pod", "build", "breakdown", "profile")):
                b.start_long_lived()
            if want("start-none"):
                b.fig_start("none")
            if want("start-bridge"):
                b.fig_start("default")
            if want("create"):
                b.fig_create()
            if want("cli"):
                b.fig_cli()
            if want("list"):
                b.fig_list()
            if want("hotswap"):
                b.fig_hotswap()
            if want("pull"):
                b.fig_pull()
            if want("push"):
                b.fig_push()
            if want("cp"):
                b.fig_cp()
            if want("stats"):
                b.fig_stats()
            if want("pod"):
                b.fig_pod()
            if want("build"):
                b.fig_build()
            if want("breakdown"):
                b.call_breakdown()
            if want("profile"):
                b.profile()
    except KeyboardInterrupt as e:
        b.notes.append(f"interrupted ({e}): the figures after it are missing")
    except Exception as e:  # noqa: BLE001 - the harness reports, never fails a build
        import traceback
        traceback.print_exc()
        b.notes.append(f"the run stopped early: {e}")
    finally:
        b.cleanup()
    if want("jmh"):
        try:
            b.run_jmh()
        except KeyboardInterrupt:
            b.jmh = {"error": "interrupted"}
    b.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
