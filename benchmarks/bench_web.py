"""Hostile requests against ``liqwatch serve``: what one client can cost the server.

``python benchmarks/bench_web.py [--seconds 20]`` — loads ``../shared/data/raw`` into a new
store, starts ``liqwatch serve`` (a real process, file limit 256 like a small container) and
measures, reading the server's RSS from ``/proc``:

- ``/api/stress?as_of=9999-12-31``: latency and RSS;
- ``/api/status`` latency while 10 clients ask, in a loop, for the dashboard, the report and
  the analogs of distinct days (each a full computation);
- a 64 MB ``POST /login`` (headers and 1 KB sent): time to the 413 and RSS growth;
- a foreign ``Host``;
- 300 half-sent requests held open: whether ``/api/status`` still answers, and when;
- ``liqwatch -v alerts --notify`` to a local webhook receiver whose URL carries a path
  secret and a ``?token=``: hits of either secret in everything the process prints.
"""

from __future__ import annotations

import argparse
import http.server
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _util import raw_dir

CLI = [sys.executable, "-m", "liqwatch"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([*CLI, "--db", str(db), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=_limit_files)
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=60).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("liqwatch serve did not start")
        time.sleep(0.3)


def far_future(url: str, pid: int) -> None:
    times = []
    codes = set()
    for _ in range(20):
        t0 = time.perf_counter()
        codes.add(httpx.get(url + "/api/stress", params={"as_of": "9999-12-31"}).status_code)
        times.append(time.perf_counter() - t0)
    print(f"/api/stress?as_of=9999-12-31: status {sorted(codes)}, median "
          f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
          f"server RSS {_rss_mb(pid):.0f} MB")


def status_under_load(url: str, pid: int, seconds: float) -> None:
    stop = threading.Event()
    codes: list[int] = []
    peak = [_rss_mb(pid)]

    def hostile(i: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as c:
            k = 0
            while not stop.is_set():
                day = f"20{10 + (i + k) % 15:02d}-{1 + (i * 7 + k) % 12:02d}-{10 + i:02d}"
                path = ("/", "/api/report", "/api/analogs")[k % 3]
                codes.append(c.get(path, params={"as_of": day, "lang": "ja"}).status_code)
                k += 1

    threads = [threading.Thread(target=hostile, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    latencies = []
    with httpx.Client(base_url=url, timeout=120) as c:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            t0 = time.perf_counter()
            c.get("/api/status").raise_for_status()
            latencies.append(time.perf_counter() - t0)
            peak.append(_rss_mb(pid))
            time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    ok, busy = codes.count(200), codes.count(503)
    print(f"/api/status while 10 hostile clients run ({seconds:g} s, n={len(latencies)}): "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 "
          f"{_quantile(latencies, 0.99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"hostile answers: {ok} × 200, {busy} × 503, other {len(codes) - ok - busy}; "
          f"peak server RSS {max(peak):.0f} MB")


def big_login(url: str, pid: int) -> None:
    before = _rss_mb(pid)
    port = int(url.rsplit(":", 1)[1])
    head = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            b"application/x-www-form-urlencoded\r\nContent-Length: 67108864\r\n\r\n")
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(head + b"token=" + b"a" * 1024)
        try:
            answer = s.recv(200).split(b"\r\n", 1)[0].decode()
        except TimeoutError:
            answer = "no answer within 30 s (the server waits for the body)"
    took = time.perf_counter() - t0
    print(f"POST /login, Content-Length 64 MB: {answer!r} in {took * 1000:.1f} ms; server RSS "
          f"{before:.0f} → {_rss_mb(pid):.0f} MB")


def foreign_host(url: str) -> None:
    code = httpx.get(url + "/api/status", headers={"Host": "rebind.evil.example"}).status_code
    print(f"Host: rebind.evil.example → {code}")


def half_open(url: str) -> None:
    port = int(url.rsplit(":", 1)[1])
    held = []
    for _ in range(300):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append(s)
        except OSError:
            break
    t0 = time.perf_counter()
    answered = None
    while time.perf_counter() - t0 < 60:
        try:
            if httpx.get(url + "/api/status", timeout=2).status_code == 200:
                answered = time.perf_counter() - t0
                break
        except httpx.TransportError:
            time.sleep(0.5)
    closed = sum(1 for s in held if _closed(s))
    for s in held:
        s.close()
    shown = f"{answered:.1f} s" if answered is not None else "not within 60 s"
    print(f"{len(held)} half-sent requests held open (file limit 256): /api/status answered "
          f"after {shown}; {closed} of them closed by the server")


def _closed(s: socket.socket) -> bool:
    s.settimeout(0.1)
    try:
        return s.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def secrets_under_verbose(work: Path) -> None:
    import pandas as pd

    from liqwatch.store import Store

    db = work / "stale.duckdb"
    with Store(db) as store:  # SYNTHETIC: SOFR stopped in January 2024 (a stale-data alert)
        store.write(pd.DataFrame({"series_id": "SOFR", "value": 5.31,
                                  "date": pd.bdate_range("2024-01-02", "2024-01-31")}))

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    path_secret, token = "B0PATHSECRET/xoxb9876543210", "q7u3r7y5e6c7r8e9t"
    url = f"http://127.0.0.1:{receiver.server_port}/services/T0/{path_secret}?token={token}"
    config = work / "config.toml"
    config.write_text(f'[alerts.notifiers.webhook]\nurl = "{url}"\n', encoding="utf-8")
    config.chmod(0o600)
    env = {**os.environ, "LIQWATCH_CONFIG": str(config)}
    done = subprocess.run([*CLI, "--db", str(db), "-v", "alerts", "--notify"], env=env,
                          capture_output=True, text=True, check=False)
    receiver.shutdown()
    printed = done.stdout + done.stderr
    hits = sum(printed.count(s) for s in (path_secret, "xoxb9876543210", token))
    print(f"liqwatch -v alerts --notify: exit {done.returncode}, {len(printed.splitlines())} "
          f"lines printed, {printed.count('HTTP Request')} httpx request lines; hits of the "
          f"webhook secrets: {hits}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "real.duckdb"
        subprocess.run([*CLI, "--db", str(db), "import", str(raw_dir())], check=True,
                       capture_output=True)
        port = _free_port()
        proc = _serve(db, port)
        url = f"http://127.0.0.1:{port}"
        try:
            print(f"server started, RSS {_rss_mb(proc.pid):.0f} MB")
            time.sleep(10)  # the start-up render of the dashboard
            far_future(url, proc.pid)
            status_under_load(url, proc.pid, args.seconds)
            far_future(url, proc.pid)
            big_login(url, proc.pid)
            foreign_host(url)
            half_open(url)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        secrets_under_verbose(work)


if __name__ == "__main__":
    main()
