#!/usr/bin/env python3
"""Side-by-side de-identification benchmark for dcm-anon (issue: PS3.15 de-identification).

On --images generated CT slices (512x512, 16-bit; transfer-bench make-study), in one run: `cp -r` of the
same files, dcm-anon (-j cores, with its output verification on, as shipped), gdcmanon (Debian
libgdcm-tools, basic profile with a certificate this script makes) and dicognito (PyPI) when installed
(--install-peers installs them). Prints files/s and the ratio table, checks the targets (dcm-anon at least
5x gdcmanon's files/s and at most 3x the time of cp -r) and writes bench/results/anon.md. Timings are
wall-clock medians of --runs runs.
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def timed(prepare, fn, runs):
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), (max(times) - min(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--install-peers", action="store_true")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    if args.install_peers:
        if not shutil.which("gdcmanon") and os.geteuid() == 0:
            subprocess.run(["apt-get", "install", "-y", "-q", "libgdcm-tools"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "dicognito"], check=False)
    if not args.no_build:
        run(["swift", "build", "-c", "release"], cwd=ROOT)
    bin_dir = Path(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip())
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="anon-bench-") as tmp:
        work = Path(tmp)
        generated = work / "generated"
        run([str(bin_dir / "transfer-bench"), "make-study", "--scale", "0.4", "--seed", "7", "-o", str(generated)])
        source = work / "in"
        source.mkdir()
        for index, path in enumerate(sorted(generated.rglob("*.dcm"))[: args.images]):
            shutil.copy(path, source / f"{index:05d}.dcm")
        count = len(list(source.glob("*.dcm")))
        megabytes = sum(p.stat().st_size for p in source.glob("*.dcm")) / 1e6
        key = work / "key"
        key.write_text(os.urandom(32).hex())
        key.chmod(0o600)
        out = work / "out"
        def clear():
            # Remove the last output and flush, so that no run pays for the previous one's writeback.
            shutil.rmtree(out, ignore_errors=True)
            os.sync()
        rows = []

        anon = [str(bin_dir / "dcm-anon"), "-q", "--key-file", str(key), "-j", str(cores)]
        t, spread = timed(clear, lambda: run(["cp", "-r", str(source), str(out)]), args.runs)
        rows.append(("cp -r", t, spread))
        copy_time = t
        t, spread = timed(clear, lambda: run(["sh", "-c", f"cp -r '{source}' '{out}' && sync"]), args.runs)
        rows.append(("cp -r && sync", t, spread))
        copy_sync_time = t
        # dcm-anon flushes its outputs to disk before it exits; --no-sync compares with a plain cp -r.
        t, spread = timed(clear, lambda: run(anon + ["-o", str(out), str(source)]), args.runs)
        rows.append((f"dcm-anon -j {cores} (verify on, outputs flushed)", t, spread))
        ours_synced = t
        t, spread = timed(clear, lambda: run(anon + ["--no-sync", "-o", str(out), str(source)]), args.runs)
        rows.append((f"dcm-anon -j {cores} --no-sync (verify on)", t, spread))
        ours = t
        t, spread = timed(clear, lambda: run(anon + ["--no-sync", "--no-verify", "-o", str(out), str(source)]), args.runs)
        rows.append((f"dcm-anon -j {cores} --no-sync --no-verify", t, spread))

        gdcm = None
        if shutil.which("gdcmanon"):
            cert, private = work / "cert.pem", work / "key.pem"
            run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bench",
                 "-keyout", str(private), "-out", str(cert)])
            def gdcmanon():
                out.mkdir()
                run(["gdcmanon", "-c", str(cert), "-i", str(source), "-o", str(out), "-r", "--continue"])
            gdcm, spread = timed(clear, gdcmanon, args.runs)
            rows.append(("gdcmanon -r (basic profile, one process for the folder)", gdcm, spread))
            def gdcmanon_per_file():
                out.mkdir()
                for path in sorted(source.glob("*.dcm")):
                    run(["gdcmanon", "-c", str(cert), "-i", str(path), "-o", str(out / path.name)])
            t, spread = timed(clear, gdcmanon_per_file, 1)
            rows.append(("gdcmanon, one call per file (as scripts often run it; 1 run)", t, spread))
        try:
            import dicognito  # noqa: F401
            t, spread = timed(clear, lambda: run([sys.executable, "-m", "dicognito", "--quiet", "-o", str(out), str(source)]), args.runs)
            rows.append(("dicognito", t, spread))
        except ImportError:
            print("dicognito not installed (pip install dicognito, or --install-peers): skipped")

    lines = [f"# dcm-anon benchmark", "",
             f"{count} generated CT slices (512x512, 16-bit), {megabytes:.0f} MB; {cores} cores ({platform.machine()}, "
             f"{platform.system()} {platform.release()}); median of {args.runs} runs, spread = max - min.", "",
             "| tool | seconds | spread | files/s | vs cp -r | dcm-anon speed-up |", "|---|---:|---:|---:|---:|---:|"]
    for name, seconds, spread in rows:
        lines.append(f"| {name} | {seconds:.2f} | {spread:.2f} | {count / seconds:.0f} | {seconds / copy_time:.2f}x | "
                     f"{seconds / ours:.1f}x |")
    lines.append("")
    verdicts = [f"dcm-anon --no-sync / cp -r time: {ours / copy_time:.2f}x (target <= 3x): {'met' if ours <= 3 * copy_time else 'NOT met'}",
                f"dcm-anon / (cp -r && sync) time: {ours_synced / copy_sync_time:.2f}x"]
    if gdcm:
        verdicts.append(f"dcm-anon --no-sync / gdcmanon -r files/s: {gdcm / ours:.1f}x (target >= 5x): {'met' if gdcm >= 5 * ours else 'NOT met'}")
    lines += [f"- {v}" for v in verdicts]
    text = "\n".join(lines) + "\n"
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "anon.md").write_text(text)


if __name__ == "__main__":
    main()
