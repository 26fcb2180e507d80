#!/usr/bin/env python3
"""Side-by-side compression benchmark for dcm-compress (issue: lossless compression for slow links).

Runs, in one go, on the real CT slices of Tests/Fixtures/dicom (made uncompressed first) and on a generated
stroke study: dcm-compress JPEG-LS (with and without its bit-exact verification), DCMTK dcmcjpls/dcmdjpls,
the zstd CLI at -3 and -19, the toolkit's transport bundle, and imagecodecs (JPEG-LS, HTJ2K) when it is
installed (--install-peers installs it with pip). Prints ratio and MB/s tables, checks the targets, and
writes bench/results/compress.md. Timings are wall-clock medians of --runs runs on this machine.
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "Tests" / "Fixtures" / "dicom"
DCMTK = "/usr/bin"  # by path: pynetdicom's Python scripts may shadow DCMTK's tools on PATH
REAL_CT = ["693_UNCR.dcm", "bad_sequence.dcm", "eCT_Supplemental.dcm", "CT_small.dcm"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def size(path):
    path = Path(path)
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def files(folder):
    return sorted(p for p in Path(folder).rglob("*.dcm"))


def bench_dataset(name, raw_dir, work, bin_dir, runs, cores):
    raw = size(raw_dir)
    inputs = files(raw_dir)
    rows = []
    tool = lambda t: str(bin_dir / t)

    def ours(codec, extra, label):
        out = work / f"{name}-{label}"
        def enc():
            shutil.rmtree(out, ignore_errors=True)
            run([tool("dcm-compress"), "--codec", codec, "-q", "-j", str(cores), *extra, "-o", str(out), str(raw_dir)])
        t_enc = timed(enc, runs)
        back = work / f"{name}-{label}-back"
        def dec():
            shutil.rmtree(back, ignore_errors=True)
            run([tool("dcm-compress"), "--codec", "none", "-q", "-j", str(cores), "--no-verify", "-o", str(back), str(out)])
        t_dec = timed(dec, runs)
        rows.append((f"dcm-compress {label} (-j {cores})", raw / size(out), raw / t_enc / 1e6, raw / t_dec / 1e6))

    ours("jpeg-ls", [], "jpeg-ls")
    ours("jpeg-ls", ["--no-verify"], "jpeg-ls --no-verify")

    if os.path.exists(f"{DCMTK}/dcmcjpls"):
        out = work / f"{name}-dcmcjpls"
        out.mkdir(exist_ok=True)
        def enc():
            for i, f in enumerate(inputs):
                run([f"{DCMTK}/dcmcjpls", str(f), str(out / f"{i}.dcm")])
        t_enc = timed(enc, runs)
        back = work / f"{name}-dcmdjpls"
        back.mkdir(exist_ok=True)
        def dec():
            for i, _ in enumerate(inputs):
                run([f"{DCMTK}/dcmdjpls", str(out / f"{i}.dcm"), str(back / f"{i}.dcm")])
        t_dec = timed(dec, runs)
        rows.append(("DCMTK dcmcjpls/dcmdjpls (one file per call)", raw / size(out), raw / t_enc / 1e6, raw / t_dec / 1e6))

    if shutil.which("zstd"):
        for level in (3, 19):
            out = work / f"{name}-zstd{level}"
            out.mkdir(exist_ok=True)
            def enc():
                for i, f in enumerate(inputs):
                    run(["zstd", "-q", "-f", f"-{level}", "-T1", str(f), "-o", str(out / f"{i}.zst")])
            t_enc = timed(enc, runs)
            def dec():
                for i, _ in enumerate(inputs):
                    run(["zstd", "-q", "-d", "-f", str(out / f"{i}.zst"), "-o", str(out / f"{i}.raw")])
            t_dec = timed(dec, runs)
            rows.append((f"zstd -{level} CLI (whole files, one per call)", raw / sum(size(out / f"{i}.zst") for i in range(len(inputs))),
                         raw / t_enc / 1e6, raw / t_dec / 1e6))

    bundle_rows = {}
    for jobs in (1, cores):
        bundle = work / f"{name}-{jobs}.dcmz"
        t_enc = timed(lambda: run([tool("dcm-compress"), "pack", "-q", "-j", str(jobs), "-o", str(bundle), str(raw_dir)]), runs)
        back = work / f"{name}-bundle-back"
        def dec():
            shutil.rmtree(back, ignore_errors=True)
            run([tool("dcm-compress"), "unpack", "-q", "-j", str(jobs), "-o", str(back), str(bundle)])
        t_dec = timed(dec, runs)
        identical = subprocess.run(["diff", "-r", str(raw_dir), str(back)], stdout=subprocess.DEVNULL).returncode == 0
        label = f"dcm-compress pack/unpack (-j {jobs}){'' if identical else ' NOT IDENTICAL'}"
        bundle_rows[jobs] = (label, raw / size(bundle), raw / t_enc / 1e6, raw / t_dec / 1e6)
        rows.append(bundle_rows[jobs])

    codec_rows = []
    bench = subprocess.run([str(bin_dir / "codec-bench"), "--repeat", str(max(3, runs))] + [str(f) for f in inputs],
                           capture_output=True, text=True, check=True).stdout
    for line in bench.strip().splitlines():
        label, ratio, enc, dec = line.split("\t")
        codec_rows.append((f"in-process: {label}", float(ratio), float(enc), float(dec)))
    rows += codec_rows
    try:
        import imagecodecs, pydicom  # noqa: F401
        rows += imagecodecs_rows(inputs, raw, runs)
    except ImportError:
        rows.append(("imagecodecs (not installed: --install-peers)", float("nan"), float("nan"), float("nan")))
    return raw, rows, bundle_rows, codec_rows


def imagecodecs_rows(inputs, raw, runs):
    import imagecodecs, numpy, pydicom
    # CharLS (imagecodecs' JPEG-LS) takes unsigned samples: signed CT is offset to unsigned, losslessly.
    arrays = [a if a.dtype.kind != "i" else (a.astype(numpy.int32) - int(a.min())).astype(numpy.uint16)
              for a in (pydicom.dcmread(str(f)).pixel_array for f in inputs)]
    pixel_bytes = sum(a.nbytes for a in arrays)
    rows = []
    for label, enc, dec in [("imagecodecs JPEG-LS (pixels only, 1 core)", imagecodecs.jpegls_encode, imagecodecs.jpegls_decode),
                            ("imagecodecs HTJ2K lossless (pixels only, 1 core)",
                             lambda a: imagecodecs.htj2k_encode(a, level=0), imagecodecs.htj2k_decode)]:
        try:
            frames = [f for a in arrays for f in (a if a.ndim == 3 else [a])]
            encoded = [enc(numpy.ascontiguousarray(f)) for f in frames]
            t_enc = timed(lambda: [enc(numpy.ascontiguousarray(f)) for f in frames], runs)
            t_dec = timed(lambda: [dec(e) for e in encoded], runs)
            rows.append((label, pixel_bytes / sum(len(e) for e in encoded), pixel_bytes / t_enc / 1e6, pixel_bytes / t_dec / 1e6))
        except Exception as error:  # a codec missing from this build
            rows.append((f"{label}: {error}", float("nan"), float("nan"), float("nan")))
    return rows


def table(title, raw, rows):
    lines = [f"### {title} ({raw / 1e6:.1f} MB uncompressed)", "",
             "| method | ratio | encode MB/s | decode MB/s |", "|---|---:|---:|---:|"]
    lines += [f"| {m} | {r:.2f} | {e:.0f} | {d:.0f} |" for m, r, e, d in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.1, help="generated study size (1 = 1,440 images)")
    parser.add_argument("--copies", type=int, default=25, help="copies of the real CT slices in the real corpus")
    parser.add_argument("--install-peers", action="store_true", help="pip install imagecodecs and pydicom first")
    args = parser.parse_args()
    if args.install_peers:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "imagecodecs", "pydicom"], check=False)
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = Path(subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip())
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="telerad-bench-"))
    try:
        # The four real slices are 2 MB: copies of them make a corpus big enough that process start-up does
        # not decide the command-line rows (each copy is compressed on its own, so ratios are unchanged).
        slices = work / "real-slices"
        run([str(bin_dir / "dcm-compress"), "--codec", "none", "-q", "-o", str(slices)] + [str(SHARED / f) for f in REAL_CT])
        real = work / "real-raw"
        for copy in range(args.copies):
            for f in files(slices):
                (real / f"{copy:03d}").mkdir(parents=True, exist_ok=True)
                shutil.copy(f, real / f"{copy:03d}" / f.name)
        generated = work / "generated"
        run([str(bin_dir / "transfer-bench"), "make-study", "--scale", str(args.scale), "--seed", "1", "-q", "-o", str(generated)])
        sections, checks = [], []
        for title, folder in [("Real CT slices of Tests/Fixtures/dicom, made uncompressed", real),
                              (f"Generated stroke study, scale {args.scale}", generated)]:
            raw, rows, bundle, codec = bench_dataset(folder.name, folder, work, bin_dir, args.runs, cores)
            sections.append(table(title, raw, rows))
            ours = next(r for r in rows if r[0].startswith("dcm-compress jpeg-ls (-j"))
            peer = next((r for r in rows if r[0].startswith("DCMTK")), None)
            if peer:
                checks.append((f"{folder.name}: JPEG-LS ratio {ours[1]:.2f} >= dcmcjpls {peer[1]:.2f}", ours[1] >= peer[1] - 1e-9))
                checks.append((f"{folder.name}: JPEG-LS encode {ours[2] / peer[2]:.1f}x dcmcjpls (target 1.5x)", ours[2] >= 1.5 * peer[2]))
            if folder is real:
                checks.append((f"real CT: bundle ratio {bundle[1][1]:.2f} (target 3.6)", bundle[1][1] >= 3.6))
                single = next(r for r in codec if r[0].startswith("in-process: bundle pixels (MED"))
                parallel = next(r for r in codec if "decode on" in r[0])
                checks.append((f"real CT: bundle codec encode {single[2]:.0f} MB/s on one core (target 150 per core)", single[2] >= 150))
                checks.append((f"real CT: bundle codec decode {parallel[3]:.0f} MB/s on {cores} cores, {single[3]:.0f} MB/s on one (target 500)",
                               parallel[3] >= 500))
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
        versions = subprocess.run([f"{DCMTK}/dcmcjpls", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
        header = [f"# dcm-compress benchmark", "", f"Machine: {cores} cores, {cpu}, {platform.platform()}",
                  f"Peers: {versions[0] if versions else 'dcmcjpls missing'}; {subprocess.run(['zstd', '--version'], capture_output=True, text=True).stdout.strip()}",
                  f"Command: bench/compress.py --runs {args.runs} --scale {args.scale}; medians of {args.runs} runs, wall clock, files on local disk.",
                  "MB/s are uncompressed megabytes per second of wall time. Command-line rows include process start-up, DICOM parsing, checksums and",
                  "atomic (fsync'd) file writes; in-process rows time the pixel codecs alone on one core unless stated.", ""]
        report = "\n".join(header + sections[:1] + [""] + sections[1:] + ["", "### Targets", ""] +
                           [f"- {'PASS' if ok else 'FAIL'}: {text}" for text, ok in checks]) + "\n"
        print(report)
        out = ROOT / "bench" / "results" / "compress.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
