#!/usr/bin/env python3
"""Images flowing to the expert as they arrive (issue: streaming pipes and a forwarding node).

In one run, with transfer-bench's stream and pipeline strategies (the forwarding node: dcm-anon |
dcm-compress --codec jpeg-ls | dcm-send, each path passed on once its file is on disk) through the
in-process link shaper to the embedded receiver:
1. the full stroke study (--scale 1) already on disk over 10mbit/100ms: the last image against the
   compressed bytes at the link's rate (target 1.10x), the first image (target 1 s);
2. the same link, the images released at a scanner's pace the link can carry: each image from leaving the
   scanner to reaching the expert (target p95 2 s);
3. loopback, paced: the pipeline's median latency against dcm-send alone (target: under 20 ms more);
4. satellite (10 Mbit/s, 600 ms): JPEG-LS over DICOM with --associations auto against the bundle (target
   1.3x).
Writes bench/results/stream.md.
"""
import argparse, json, os, platform, subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(bin_dir, *arguments):
    out = subprocess.run([str(bin_dir / "transfer-bench"), "run", "--json", *arguments],
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out.strip().splitlines()[-1])["report"]
    return report, {row["strategy"]: row for row in report["rows"]}


def verdict(ok):
    return "met" if ok else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0, help="stroke study of part 1 (1: about 1,440 images)")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = Path(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip())
    lines = ["# Streaming benchmark: images to the expert as they arrive", "",
             f"{os.cpu_count()} cores ({platform.machine()}, {platform.system()} {platform.release()}); "
             "release build; `python3 bench/stream.py`.", ""]
    summary = []

    # 1. The full study on disk, over 10 Mbit/s / 100 ms.
    report, rows = bench(bin_dir, "--scale", str(args.scale), "--link", "10mbit/100ms",
                         "--strategy", "pipeline", "--associations", "auto")
    row = rows["pipeline auto"]
    wire = row["wire_bytes"] * 8 / 10e6
    ratio = row["median_seconds"] / wire
    lines += [f"## 1. Stroke study on disk ({report['images']} images, {report['study_bytes'] / 1e6:.0f} MB) "
              "over 10mbit/100ms, pipeline with --associations auto", "",
              "| last image s | compressed MB on wire | bytes at the rate s | last / bytes at rate | first image s |",
              "|---:|---:|---:|---:|---:|",
              f"| {row['median_seconds']:.1f} | {row['wire_bytes'] / 1e6:.1f} | {wire:.1f} | {ratio:.2f}x | "
              f"{row['first_image_seconds']:.2f} |", ""]
    summary.append(f"- last image within 1.10x of the compressed bytes at the rate: {ratio:.2f}x, {verdict(ratio <= 1.10)}")
    summary.append(f"- first image within 1 s: {row['first_image_seconds']:.2f} s, {verdict(row['first_image_seconds'] <= 1)}")

    # 2. Scanner-paced over the same link.
    pace = 6
    report, rows = bench(bin_dir, "--scale", "0.25", "--link", "10mbit/100ms", "--pace", str(pace),
                         "--strategy", "pipeline", "--associations", "auto")
    row = rows["pipeline auto"]
    lines += [f"## 2. Scanner-paced ({pace} images/s, {report['images']} images) over 10mbit/100ms, pipeline auto", "",
              "| p50 s | p95 s | max s | first image s | last image s |", "|---:|---:|---:|---:|---:|",
              f"| {row['latency_median_seconds']:.2f} | {row['latency_p95_seconds']:.2f} | {row['latency_max_seconds']:.2f} | "
              f"{row['first_image_seconds']:.2f} | {row['median_seconds']:.1f} |", ""]
    summary.append(f"- scanner to expert p95 within 2 s: {row['latency_p95_seconds']:.2f} s, {verdict(row['latency_p95_seconds'] <= 2)}")

    # 3. Loopback, paced: what the pipeline adds per image over dcm-send alone.
    report, rows = bench(bin_dir, "--scale", "0.25", "--pace", "20", "--strategy", "stream", "--strategy", "pipeline")
    stream, pipeline = rows["stream x4"], rows["pipeline x4"]
    added = (pipeline["latency_median_seconds"] - stream["latency_median_seconds"]) * 1000
    lines += [f"## 3. Loopback, 20 images/s ({report['images']} images): pipeline against dcm-send alone", "",
              "| strategy | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|"]
    for name, item in (("dcm-send alone (stream x4)", stream), ("dcm-anon, dcm-compress, dcm-send (pipeline x4)", pipeline)):
        lines.append(f"| {name} | {item['latency_median_seconds'] * 1000:.1f} | {item['latency_p95_seconds'] * 1000:.1f} | "
                     f"{item['latency_max_seconds'] * 1000:.1f} |")
    lines.append("")
    summary.append(f"- the pipeline adds under 20 ms per image (median) on loopback: {added:.1f} ms, {verdict(added < 20)}")

    # 4. Satellite: DICOM with auto against the bundle.
    report, rows = bench(bin_dir, "--scale", "0.1", "--link", "satellite", "--strategy", "jpeg-ls", "--strategy", "bundle",
                         "--associations", "auto")
    auto, bundle = rows["jpeg-ls auto"], rows["bundle"]
    ratio = auto["median_seconds"] / bundle["median_seconds"]
    lines += [f"## 4. Satellite ({report['link']}, {report['images']} images): JPEG-LS over DICOM, --associations auto, "
              "against the bundle", "", "| strategy | total s | first image s | MB on wire |", "|---|---:|---:|---:|"]
    for name in ("jpeg-ls x1", "jpeg-ls auto", "bundle"):
        item = rows[name]
        lines.append(f"| {name} | {item['median_seconds']:.1f} | {item['first_image_seconds']:.2f} | {item['wire_bytes'] / 1e6:.1f} |")
    lines.append("")
    summary.append(f"- satellite, DICOM auto within 1.3x of the bundle: {ratio:.2f}x, {verdict(ratio <= 1.3)}")

    lines += ["## Targets", ""] + summary
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "stream.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
