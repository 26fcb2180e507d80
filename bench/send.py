#!/usr/bin/env python3
"""Loopback C-STORE benchmark for dcm-send (issue: a sender that fills links).

300 generated CT slices of 512x512 (about 157 MB) sent on loopback to an unmodified DCMTK storescp (default
options, writing to a temporary folder), side by side in one run: storescu +sd with its defaults, the same
with TCP_NODELAY=1 in its environment (DCMTK's switch for Nagle's algorithm), and dcm-send with 1 and 4
associations. Prints seconds, MB/s and images/s with ratios, and writes bench/results/send.md.
The link-shaper half of the benchmark (100 ms RTT, 100 Mbit/s) needs transfer-bench's shaper.
"""
import argparse, os, platform, shutil, socket, statistics, subprocess, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Debian's DCMTK by path: pynetdicom installs Python scripts named storescp and storescu too.
STORESCP, STORESCU = "/usr/bin/storescp", "/usr/bin/storescu"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def timed_send(command, env, runs, work):
    times = []
    for _ in range(runs):
        inbox = Path(tempfile.mkdtemp(dir=work))
        port = free_port()
        peer = subprocess.Popen([STORESCP, "--output-directory", str(inbox), str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            start = time.perf_counter()
            subprocess.run(command(port), check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times.append(time.perf_counter() - start)
            received = len(list(inbox.iterdir()))
        finally:
            peer.kill()
            peer.wait()
            shutil.rmtree(inbox, ignore_errors=True)
    return statistics.median(times), received


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--images", type=int, default=300)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = Path(subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip())
    work = Path(tempfile.mkdtemp(prefix="telerad-send-"))
    try:
        study = work / "study"
        subprocess.run([str(bin_dir / "transfer-bench"), "make-study", "--scale", "0.25", "-q", "-o", str(study)], check=True)
        files = sorted(study.rglob("*.dcm"))[: args.images]
        slices = work / "slices"
        slices.mkdir()
        for f in files:
            shutil.copy(f, slices / f"{f.parent.name}-{f.name}")
        size = sum(f.stat().st_size for f in slices.iterdir())
        paths = [str(f) for f in sorted(slices.iterdir())]
        plain = {k: v for k, v in os.environ.items() if k != "TCP_NODELAY"}
        nodelay = dict(plain, TCP_NODELAY="1")
        rows = []
        for label, command, env in [
            ("storescu +sd (defaults)", lambda p: [STORESCU, "+sd", "127.0.0.1", str(p), str(slices)], plain),
            ("TCP_NODELAY=1 storescu +sd", lambda p: [STORESCU, "+sd", "127.0.0.1", str(p), str(slices)], nodelay),
            ("dcm-send --associations 1", lambda p: [str(bin_dir / "dcm-send"), "-q", "--associations", "1", f"ANY@127.0.0.1:{p}", *paths], plain),
            ("dcm-send (4 associations)", lambda p: [str(bin_dir / "dcm-send"), "-q", f"ANY@127.0.0.1:{p}", *paths], plain),
        ]:
            seconds, received = timed_send(command, env, args.runs, work)
            rows.append((label, seconds, received))
        base = rows[0][1]
        lines = ["# dcm-send loopback benchmark", "",
                 f"Machine: {os.cpu_count()} cores, {platform.platform()}; peer: DCMTK storescp with default options, writing to disk.",
                 f"Data: {len(paths)} generated CT slices of 512x512, {size / 1e6:.1f} MB. Medians of {args.runs} runs. Command: bench/send.py", "",
                 "| sender | seconds | MB/s | images/s | speed-up vs storescu defaults | received |", "|---|---:|---:|---:|---:|---:|"]
        for label, seconds, received in rows:
            lines.append(f"| {label} | {seconds:.2f} | {size / seconds / 1e6:.0f} | {len(paths) / seconds:.0f} | {base / seconds:.1f}x | {received} |")
        ours, nodelay_time = rows[3][1], rows[1][1]
        lines += ["", "### Targets", "",
                  f"- {'PASS' if base / ours >= 10 else 'FAIL'}: dcm-send {base / ours:.1f}x faster than storescu defaults (target 10x)",
                  f"- {'PASS' if ours <= nodelay_time * 1.05 else 'FAIL'}: dcm-send {ours:.2f} s vs TCP_NODELAY=1 storescu {nodelay_time:.2f} s (target: no slower)",
                  "- not measured here: 85% of a 100 ms / 100 Mbit/s shaped link (needs transfer-bench's link shaper)"]
        report = "\n".join(lines) + "\n"
        print(report)
        (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
        (ROOT / "bench" / "results" / "send.md").write_text(report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
