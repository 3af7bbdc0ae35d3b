#!/usr/bin/env python3
"""Measurements for tools/bench-controller: talks to the API server directly (one TLS
connection, watches instead of polling), so the timing tool itself adds little load, and
samples the controller's /proc/PID/status while it works.

  bench-controller.py repo-a  URL                 scenario A: one HelmRepository on URL
  bench-controller.py charts-b URL CHARTS         scenario B: a HelmRepository + 200 HelmCharts
  bench-controller.py table RESULTS...            the comparison table

Cluster and process come from the environment: BENCH_SERVER, BENCH_CA, BENCH_CERT, BENCH_KEY,
BENCH_PID, BENCH_NAMESPACE. Each scenario prints one JSON object.
"""
import http.client
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse

GROUP = "/apis/source.toolkit.fluxcd.io/v1"

# Scenario B's HelmCharts: every chart of the small repository with each of these
# constraints, so the 200 HelmCharts resolve to varied versions.
CONSTRAINTS = ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0",
               "~1.1.0", "^1.0.0", "^2.0.0", ">=1.1.0 <2.0.0", "*"]
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "45"))
TIMEOUT_A = int(os.environ.get("BENCH_TIMEOUT_A", "600"))
TIMEOUT_B = int(os.environ.get("BENCH_TIMEOUT_B", "900"))


class Api:
    def __init__(self):
        self.url = urllib.parse.urlparse(os.environ["BENCH_SERVER"])
        self.ctx = ssl.create_default_context(cafile=os.environ["BENCH_CA"])
        self.ctx.load_cert_chain(os.environ["BENCH_CERT"], os.environ["BENCH_KEY"])
        self.conn = self.connect()

    def connect(self, timeout=30):
        return http.client.HTTPSConnection(self.url.hostname, self.url.port, context=self.ctx,
                                           timeout=timeout)

    def request(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        text = resp.read()
        if resp.status >= 300:
            sys.exit(f"{method} {path}: HTTP {resp.status}: {text[:400]!r}")
        return json.loads(text)

    def watch_until(self, path, done, timeout):
        """Lists PATH, then watches it until done(objects by name) is true. Returns the
        time it became true, or exits after TIMEOUT seconds with the last states."""
        deadline = time.monotonic() + timeout
        objects = {}
        while True:
            listing = self.request("GET", path)
            objects = {o["metadata"]["name"]: o for o in listing.get("items", [])}
            if done(objects):
                return time.monotonic(), objects
            rv = listing["metadata"]["resourceVersion"]
            left = int(deadline - time.monotonic())
            if left <= 0:
                break
            conn = self.connect(timeout=left + 10)
            conn.request("GET", f"{path}?watch=1&resourceVersion={rv}&timeoutSeconds={min(left, 300)}",
                         headers={"Accept": "application/json"})
            resp = conn.getresponse()
            for line in resp:
                event = json.loads(line)
                obj = event["object"]
                if event["type"] == "ERROR":
                    break
                name = obj["metadata"]["name"]
                if event["type"] == "DELETED":
                    objects.pop(name, None)
                else:
                    objects[name] = obj
                if done(objects):
                    conn.close()
                    return time.monotonic(), objects
            conn.close()
            if time.monotonic() >= deadline:
                break
        states = {n: condition(o, "Ready") for n, o in objects.items()}
        not_ready = {n: s for n, s in states.items() if s.get("status") != "True"}
        sys.exit(f"timed out after {timeout}s on {path}; not Ready: "
                 f"{json.dumps(dict(list(not_ready.items())[:5]))}")


def condition(obj, kind):
    for c in obj.get("status", {}).get("conditions", []) or []:
        if c.get("type") == kind:
            return {"status": c.get("status"), "reason": c.get("reason"),
                    "message": (c.get("message") or "")[:200]}
    return {}


def ready(obj):
    """Ready=True for the current generation, with the artifact in the status."""
    status = obj.get("status", {})
    return (condition(obj, "Ready").get("status") == "True"
            and status.get("observedGeneration") == obj["metadata"].get("generation")
            and bool(status.get("artifact", {}).get("revision")))


class RssSampler(threading.Thread):
    """Samples VmRSS of BENCH_PID every 20 ms; VmHWM is read at the end."""

    def __init__(self):
        super().__init__(daemon=True)
        self.pid = os.environ["BENCH_PID"]
        self.max_rss = 0
        self.stop_flag = threading.Event()

    def field(self, name):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
        return 0

    def run(self):
        while not self.stop_flag.is_set():
            try:
                self.max_rss = max(self.max_rss, self.field("VmRSS"))
            except OSError:
                return
            time.sleep(0.02)

    def stop(self):
        self.stop_flag.set()
        self.join()


def helm_repository(name, url):
    return {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository",
            "metadata": {"name": name},
            # A long interval: no scheduled re-fetch falls inside the measurement.
            "spec": {"url": url, "interval": "30m", "timeout": "5m"}}


def repo_a(url):
    ns = os.environ["BENCH_NAMESPACE"]
    api = Api()
    sampler = RssSampler()
    start_rss = sampler.field("VmRSS")
    sampler.start()
    path = f"{GROUP}/namespaces/{ns}/helmrepositories"
    t0 = time.monotonic()
    api.request("POST", path, helm_repository("big", url))
    t1, objects = api.watch_until(path, lambda objs: "big" in objs and ready(objs["big"]), TIMEOUT_A)
    time.sleep(1)
    sampler.stop()
    hwm = sampler.field("VmHWM")
    # The kernel updates VmHWM lazily, so a sample can exceed it by a few pages.
    print(json.dumps({"ready_seconds": round(t1 - t0, 3), "start_rss_kib": start_rss,
                      "peak_rss_kib": max(hwm, sampler.max_rss),
                      "max_rss_kib": sampler.max_rss, "hwm_kib": hwm,
                      "after_rss_kib": sampler.field("VmRSS"),
                      "message": condition(objects["big"], "Ready").get("message")}))


def charts_b(url, charts):
    ns = os.environ["BENCH_NAMESPACE"]
    api = Api()
    sampler = RssSampler()
    start_rss = sampler.field("VmRSS")
    sampler.start()
    names = [f"app-{i:02}" for i in range(charts)]
    wanted = [(f"{chart}-{k}", chart, c) for k, c in enumerate(CONSTRAINTS) for chart in names]
    repos = f"{GROUP}/namespaces/{ns}/helmrepositories"
    path = f"{GROUP}/namespaces/{ns}/helmcharts"
    t0 = time.monotonic()
    api.request("POST", repos, helm_repository("small", url))
    for name, chart, constraint in wanted:
        api.request("POST", path, {
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
            "metadata": {"name": name},
            "spec": {"chart": chart, "version": constraint, "interval": "30m",
                     "sourceRef": {"kind": "HelmRepository", "name": "small"}}})
    applied = time.monotonic() - t0
    all_ready = lambda objs: len(objs) >= len(wanted) and all(ready(o) for o in objs.values())
    t1, objects = api.watch_until(path, all_ready, TIMEOUT_B)
    ready_seconds = t1 - t0
    busy_peak = max(sampler.field("VmHWM"), sampler.max_rss)
    time.sleep(IDLE_SECONDS)
    sampler.stop()
    versions = sorted({o.get("status", {}).get("artifact", {}).get("revision", "?")
                       for o in objects.values()})
    print(json.dumps({"charts": len(objects), "apply_seconds": round(applied, 3),
                      "ready_seconds": round(ready_seconds, 3), "start_rss_kib": start_rss,
                      "busy_peak_rss_kib": busy_peak,
                      "idle_seconds": IDLE_SECONDS, "idle_rss_kib": sampler.field("VmRSS"),
                      "hwm_kib": sampler.field("VmHWM"), "versions": versions}))


def table(files):
    results = {}
    for f in files:
        with open(f) as fh:
            results[os.path.basename(f).rsplit(".", 1)[0]] = json.load(fh)
    hs, fx = results.get("helmsync"), results.get("flux")
    mib = lambda kib: f"{kib / 1024:.1f} MiB"
    rows = [
        ("A: 25 MB index, apply -> Ready", ("a", "ready_seconds"), lambda s: f"{s:.2f} s"),
        ("A: peak RSS (VmHWM, 20 ms samples)", ("a", "peak_rss_kib"), mib),
        ("A: RSS before apply", ("a", "start_rss_kib"), mib),
        ("A: RSS 1 s after Ready", ("a", "after_rss_kib"), mib),
        ("B: 200 HelmCharts, apply -> all Ready", ("b", "ready_seconds"), lambda s: f"{s:.2f} s"),
        ("B: peak RSS until all Ready", ("b", "busy_peak_rss_kib"), mib),
        ("B: idle RSS, 200 HelmCharts Ready", ("b", "idle_rss_kib"), mib),
        ("B: RSS before apply", ("b", "start_rss_kib"), mib),
    ]
    print(f"{'':40} {'helmsync':>12} {'Flux source-ctl':>16} {'Flux/helmsync':>14}")
    for label, (scenario, key), fmt in rows:
        h = hs[scenario].get(key) if hs else None
        f = fx[scenario].get(key) if fx else None
        ratio = f"{f / h:.1f}x" if h and f else "-"
        print(f"{label:40} {fmt(h) if h is not None else '-':>12} "
              f"{fmt(f) if f is not None else '-':>16} {ratio:>14}")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "repo-a":
        repo_a(args[0])
    elif cmd == "charts-b":
        charts_b(args[0], int(args[1]))
    elif cmd == "table":
        table(args)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
