#!/usr/bin/env python3
"""Link shaper and transfer-bench benchmark (issue: transfer-bench).

In one run: (1) goodput of a raw byte stream through `transfer-bench shape` at 10, 20, 50 and 100 Mbit/s
against the payload the configured rate of frames leaves (1448 of each 1514 bytes; target: within 5%); (2)
C-ECHO round trips through the shaper to the embedded receiver (`transfer-bench probe`) at 10 to 300 ms
against the configured RTT (target: within 2 ms), with the loopback round trip without shaper as the
baseline; (3) `transfer-bench run --link 10mbit/100ms` on the default stroke study: the best strategy against
its compressed bytes at the link's rate (target: within 1.15x); (4) the in-process shaper against the
kernel's tbf (`--reference kernel`, root) for raw x1 and x4 at 10 and 100 Mbit/s (target: goodput within
5%); (5) the bundle's first image for the stroke study at --scale 0.1 over the satellite preset (target:
1.5 s). Writes bench/results/link.md.
"""
import argparse, json, os, platform, shutil, signal, socket, subprocess, tempfile, threading, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Sink:
    """Counts the bytes of each connection; remembers when the last byte arrived."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        self.received, self.last = 0, 0.0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            connection, _ = self.server.accept()
            threading.Thread(target=self.drain, args=(connection,), daemon=True).start()

    def drain(self, connection):
        while True:
            data = connection.recv(1 << 16)
            if not data:
                return
            self.received += len(data)
            self.last = time.perf_counter()


def shaper(bin_dir, link, to):
    process = subprocess.Popen([str(bin_dir / "transfer-bench"), "shape", "--json", "--link", link, "--to", to],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = json.loads(process.stdout.readline())["port"]
    return process, port


def stop(process):
    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each goodput stream")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = Path(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip())
    lines = ["# transfer-bench link benchmark", "",
             f"{os.cpu_count()} cores ({platform.machine()}, {platform.system()} {platform.release()}).", ""]

    # 1. Goodput of a raw byte stream.
    sink = Sink()
    lines += ["## Goodput of a raw byte stream through the shaper (RTT 2 ms)", "",
              "A link's rate carries frames: TCP's payload is 1448 of each 1514 bytes (95.6%).", "",
              "| configured | measured payload | ratio to 95.6% of the rate | target |", "|---:|---:|---:|---|"]
    worst_rate = 0.0
    for mbit in (10, 20, 50, 100):
        process, port = shaper(bin_dir, f"{mbit}mbit/2ms", f"127.0.0.1:{sink.port}")
        payload = b"\x5a" * int(mbit * 1e6 / 8 * args.seconds)
        before = sink.received
        start = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(payload)
            while sink.received - before < len(payload):
                time.sleep(0.001)
        measured = len(payload) * 8 / (sink.last - start) / 1e6
        stop(process)
        ratio = measured / (mbit * 1448 / 1514)
        worst_rate = max(worst_rate, abs(1 - ratio))
        lines.append(f"| {mbit} Mbit/s | {measured:.2f} Mbit/s | {ratio:.3f} | {'met' if abs(1 - ratio) <= 0.05 else 'NOT met'} (within 5%) |")

    # 2. Round trips through the shaper.
    receiver_port = free_port()
    inbox = tempfile.mkdtemp(prefix="link-bench-")
    receiver = subprocess.Popen([str(bin_dir / "dcm-send"), "--listen", str(receiver_port), "--aet", "EXPERT", "-o", inbox],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)

    def probe(port):
        out = subprocess.run([str(bin_dir / "transfer-bench"), "probe", f"EXPERT@127.0.0.1:{port}", "--no-bulk",
                              "--echoes", "20", "--json"], capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])["probe"]
        return result["round_trip_min_milliseconds"], result["round_trip_median_milliseconds"]

    base_min, base_median = probe(receiver_port)
    lines += ["", "## C-ECHO round trips through the shaper (transfer-bench probe, 20 echoes)", "",
              f"Baseline on loopback without the shaper: min {base_min:.2f} ms, median {base_median:.2f} ms.", "",
              "| configured RTT | median | median - baseline - configured | target |", "|---:|---:|---:|---|"]
    worst_delay = 0.0
    for rtt in (10, 50, 100, 300):
        process, port = shaper(bin_dir, f"unlimited/{rtt}ms", f"127.0.0.1:{receiver_port}")
        _, median = probe(port)
        stop(process)
        error = median - base_median - rtt
        worst_delay = max(worst_delay, abs(error))
        lines.append(f"| {rtt} ms | {median:.2f} ms | {error:+.2f} ms | {'met' if abs(error) <= 2 else 'NOT met'} (within 2 ms) |")
    receiver.send_signal(signal.SIGINT)
    receiver.wait(timeout=10)
    shutil.rmtree(inbox, ignore_errors=True)

    # 3. The stroke study at 10 Mbit/s / 100 ms.
    out = subprocess.run([str(bin_dir / "transfer-bench"), "run", "--link", "10mbit/100ms", "--json"],
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out.strip().splitlines()[-1])["report"]
    lines += ["", f"## transfer-bench run --link 10mbit/100ms (default stroke study: {report['images']} images, "
              f"{report['study_bytes'] / 1e6:.1f} MB)", "",
              "| strategy | total s | first image s | MB on wire | frames at the rate s | total / frames at rate |",
              "|---|---:|---:|---:|---:|---:|"]
    def framed_seconds(payload, rate):
        return (payload + -(-payload // 1448) * 66) * 8 / rate

    for row in report["rows"]:
        wire = framed_seconds(row["wire_bytes"], 10e6)
        first = row.get("first_image_seconds")
        lines.append(f"| {row['strategy']} | {row['median_seconds']:.2f} | {first if first is None else round(first, 2)} | "
                     f"{row['wire_bytes'] / 1e6:.1f} | {wire:.2f} | {row['median_seconds'] / wire:.2f}x |")
    best = next(row for row in report["rows"] if row["strategy"] == report["best"])
    best_ratio = best["median_seconds"] / framed_seconds(best["wire_bytes"], 10e6)
    lines += ["", f"Best: {report['explanation']}."]

    # 4. The kernel's tbf beside the in-process shaper.
    worst_reference = None
    lines += ["", "## The in-process shaper against the kernel's tbf (transfer-bench run --reference kernel)", ""]
    if os.geteuid() != 0:
        lines.append("Skipped: the kernel reference needs root (network namespaces, tc).")
    else:
        lines += ["No delay on either (this kernel has no netem); goodput of the study's payload.", "",
                  "| link | strategy | in-process shaper | kernel tbf | difference | target |", "|---|---|---:|---:|---:|---|"]
        worst_reference = 0.0
        for mbit, scale in ((10, 0.02), (100, 0.1)):
            out = subprocess.run([str(bin_dir / "transfer-bench"), "run", "--link", f"{mbit}mbit/0ms", "--scale", str(scale),
                                  "--strategy", "raw", "--reference", "kernel", "--json"], capture_output=True, text=True, check=True).stdout
            rows = {row["strategy"]: row for row in json.loads(out.strip().splitlines()[-1])["report"]["rows"]}
            for name in ("raw x1", "raw x4"):
                emulated, kernel = rows[name]["goodput_mbit_per_second"], rows[name + " [kernel]"]["goodput_mbit_per_second"]
                difference = emulated / kernel - 1
                worst_reference = max(worst_reference, abs(difference))
                lines.append(f"| {mbit} Mbit/s | {name} | {emulated:.2f} Mbit/s | {kernel:.2f} Mbit/s | {difference * 100:+.1f}% | "
                             f"{'met' if abs(difference) <= 0.05 else 'NOT met'} (within 5%) |")

    # 5. The bundle's first image over satellite.
    out = subprocess.run([str(bin_dir / "transfer-bench"), "run", "--link", "satellite", "--scale", "0.1", "--strategy", "bundle",
                          "--json"], capture_output=True, text=True, check=True).stdout
    bundle = json.loads(out.strip().splitlines()[-1])["report"]["rows"][0]
    first = bundle["first_image_seconds"]
    lines += ["", f"## The bundle over satellite, stroke study at --scale 0.1 ({bundle['images']} images)", "",
              f"First image {first:.2f} s, last {bundle['median_seconds']:.2f} s, {bundle['over_floor']:.2f}x its floor.", ""]
    lines += [
              f"- shaper goodput: worst {worst_rate * 100:.1f}% off the configured rate (target 5%): {'met' if worst_rate <= 0.05 else 'NOT met'}",
              f"- shaper delay: worst {worst_delay:.2f} ms off the configured RTT (target 2 ms): {'met' if worst_delay <= 2 else 'NOT met'}",
              f"- stroke study at 10 Mbit/s / 100 ms: best strategy {best['strategy']} at {best_ratio:.2f}x its compressed bytes at the rate "
              f"(target 1.15x): {'met' if best_ratio <= 1.15 else 'NOT met'}",
              "- in-process shaper against the kernel's tbf: " + ("not measured (root needed)" if worst_reference is None else
              f"worst {worst_reference * 100:.1f}% apart on goodput (target 5%): {'met' if worst_reference <= 0.05 else 'NOT met'}"),
              f"- bundle's first image over satellite at --scale 0.1: {first:.2f} s (target 1.5 s): {'met' if first <= 1.5 else 'NOT met'}"]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "link.md").write_text(text)


if __name__ == "__main__":
    main()
