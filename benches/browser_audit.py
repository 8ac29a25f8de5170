#!/usr/bin/env python3
"""Browser audit speed and memory (release build; run `cargo build --release` first).

1. One loopback site: `policydesk audit --engine browser` (three phases, each in a fresh
   context) against the same headless browser loading the same page three times with
   `--dump-dom`, a fresh profile each time.
2. Fifty sites, four at once: wall time and the peak memory of the whole process tree
   (policydesk and every browser process), sampled every 50 ms, as RSS and as PSS (which
   counts pages shared between the browser's processes once).

Usage: python3 benches/browser_audit.py [--browser PATH] [--runs N]   (SITES=N for part 2)
The browser is the one PolicyDesk would find first (the headless shell, else Chromium).
"""

import argparse
import http.server
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICYDESK = os.environ.get("POLICYDESK", os.path.join(ROOT, "target/release/policydesk"))

HOME = """<!doctype html><html lang="fr"><head><title>Portail</title>
<link rel="stylesheet" href="/static/main.css"><script src="/static/app.js"></script></head>
<body><h1>Portail open data</h1>
<div id="tarteaucitronRoot"><div id="tarteaucitronAlertBig"><p>Ce site utilise des cookies.</p>
<button id="tarteaucitronPersonalize2" onclick="choose('all')">Tout accepter</button>
<button id="tarteaucitronAllDenied2" onclick="choose('none')">Tout refuser</button></div></div>
%s
<script>
function choose(v) {
  document.cookie = "cookies_preferences=" + v + "; max-age=15778476; path=/";
  document.getElementById("tarteaucitronRoot").remove();
}
localStorage.setItem("ods-theme", "light");
</script></body></html>"""
CARDS = "".join(
    '<div class="card"><a href="/explore/dataset/set-%d/"><img src="/img/%d.png" alt="">'
    "Jeu de données %d</a></div>" % (i, i % 10, i) for i in range(300)
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a1d3a1b80000000049454e44ae426082"
)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/static/app.js"):
            body, kind = b'document.cookie = "csrftoken=t0k3n; max-age=31449600; path=/";', "text/javascript"
        elif self.path.startswith("/static/"):
            body, kind = b"body { font-family: sans-serif }", "text/css"
        elif self.path.startswith("/img/"):
            body, kind = PNG, "image/png"
        else:
            body, kind = (HOME % CARDS).encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if kind.startswith("text/html"):
            self.send_header("Set-Cookie", "sessionid=s3ss; Max-Age=1209600; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def tree(root):
    """The pids of `root` and all its descendants."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, ValueError, IndexError):
            pass
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def memory(pids):
    """Sum of RSS and of PSS over `pids`, in KiB."""
    rss = pss = 0
    for pid in pids:
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def run_sampled(cmd, env=None):
    """Runs `cmd`; its wall time and the peak RSS and PSS of its process tree (MiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        rss, pss = memory(tree(proc.pid))
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.05)
    took = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        raise SystemExit("%s failed (%d): %s" % (cmd[0], proc.returncode, err))
    return took, peak_rss / 1024, peak_pss / 1024


def sites_folder(count):
    """A sites folder with `count` copies of dashboard.paris."""
    folder = tempfile.mkdtemp(prefix="pd-bench-sites-")
    shutil.copytree(os.path.join(ROOT, "sites/platforms"), os.path.join(folder, "platforms"))
    with open(os.path.join(ROOT, "sites/dashboard.paris.ron")) as f:
        text = f.read()
    for i in range(count):
        with open(os.path.join(folder, "portal-%02d.ron" % i), "w") as f:
            f.write(text)
    return folder


def main():
    parser = argparse.ArgumentParser()
    # The browser PolicyDesk would pick (its order on PATH), used for both sides of part 1.
    names = ["chromium-headless-shell", "chrome-headless-shell", "chromium", "chromium-browser"]
    parser.add_argument("--browser", default=next(filter(None, map(shutil.which, names)), None))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.browser:
        raise SystemExit("no browser: install chromium or pass --browser")
    server = serve()
    url = "http://127.0.0.1:%d/" % server.server_address[1]
    env = dict(os.environ, POLICYDESK_BROWSER=args.browser)
    root = ["--no-sandbox"] if os.geteuid() == 0 else []
    flags = root + [
        "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ]

    one = sites_folder(1)
    dump, audit = [], []
    for _ in range(args.runs):
        start = time.monotonic()
        for _ in range(3):
            profile = tempfile.mkdtemp(prefix="pd-bench-profile-")
            subprocess.run(
                [args.browser, *flags, "--user-data-dir=" + profile, "--dump-dom", url],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
            )
            shutil.rmtree(profile, ignore_errors=True)
        dump.append(time.monotonic() - start)
        took, _, _ = run_sampled(
            [POLICYDESK, "--sites", one, "audit", "portal-00", "--url", url,
             "--engine", "browser", "--format", "json"], env)
        audit.append(took)
    d, a = statistics.median(dump), statistics.median(audit)
    print("browser: %s" % args.browser)
    print("one site, median of %d runs:" % args.runs)
    print("  --dump-dom x3, fresh profiles: %.2f s" % d)
    print("  policydesk audit --engine browser (3 phases): %.2f s  (%.2fx)" % (a, a / d))

    count = int(os.environ.get("SITES", "50"))
    many = sites_folder(count)
    took, rss, pss = run_sampled(
        [POLICYDESK, "--sites", many, "audit", "--all", "--url", url, "--engine", "browser",
         "--concurrency", "4", "--format", "json"], env)
    per_page = took / count
    print("%d sites, 4 at once, 3 phases each: %.1f s (%.2f s per site)" % (count, took, per_page))
    print("  peak memory of the process tree: RSS %.0f MiB, PSS %.0f MiB" % (rss, pss))
    print("  vs EDPS Website Evidence Collector 10.7 s and ~545 MiB per page: %.1fx faster"
          % (10.7 / per_page))
    for folder in (one, many):
        shutil.rmtree(folder, ignore_errors=True)
    server.shutdown()


if __name__ == "__main__":
    main()
