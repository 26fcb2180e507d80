#!/usr/bin/env python3
"""The embedded receiver under attack, side by side with DCMTK's storescp (issue: safe to face a hospital network).

In one run, on loopback: (1) ten idle TCP connections from 127.0.0.2 held open while a C-ECHO from 127.0.0.1
is timed; (2) a forged overwrite (another object under a stored SOP Instance UID); (3) peak resident memory
of the receiving process while a 1 GB uncompressed object and a Deflated bomb (a few hundred KB inflating to
1 GB) arrive; (4) TLS: a certificate for another host, and plaintext to a TLS receiver. Writes
bench/results/receiver.md.
"""
import os, platform, shutil, socket, subprocess, tempfile, time
from pathlib import Path

from send import free_port, wait_for  # bench/send.py's loopback helpers

ROOT = Path(__file__).resolve().parent.parent
STORESCP, STORESCU, ECHOSCU = "/usr/bin/storescp", "/usr/bin/storescu", "/usr/bin/echoscu"
SAMPLES = ROOT / "Tests" / "Fixtures" / "dicom"


def peak_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Receiver:
    """Ours (dcm-send --listen) or DCMTK's storescp, on a free port, writing into a temporary folder."""

    def __init__(self, kind, bin_dir, work, extra=()):
        self.port, self.inbox = free_port(), Path(tempfile.mkdtemp(dir=work))
        if kind == "ours":
            command = [str(bin_dir / "dcm-send"), "--listen", str(self.port), "-q", "-o", str(self.inbox), *extra]
        else:
            command = [STORESCP, "--output-directory", str(self.inbox), str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.port)

    def stop(self):
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.inbox, ignore_errors=True)


def idle_sockets(kind, bin_dir, work):
    receiver = Receiver(kind, bin_dir, work, ["--association-timeout", "30"])
    idle = []
    for _ in range(10):
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", receiver.port))
        idle.append(s)
    start = time.perf_counter()
    done = subprocess.run([ECHOSCU, "-to", "10", "-aec", "TELERAD", "127.0.0.1", str(receiver.port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    for s in idle:
        s.close()
    receiver.stop()
    return f"{seconds * 1000:.0f} ms" + ("" if done.returncode == 0 else " (failed: no answer)")


def forged_overwrite(kind, bin_dir, work):
    receiver = Receiver(kind, bin_dir, work)
    forged = Path(work) / "forged.dcm"
    subprocess.run(["python3", "-c", f"""
import pydicom
ct = pydicom.dcmread('{SAMPLES / 'CT_small.dcm'}')
mr = pydicom.dcmread('{SAMPLES / 'MR_small.dcm'}')
mr.SOPInstanceUID = ct.SOPInstanceUID; mr.file_meta.MediaStorageSOPInstanceUID = ct.SOPInstanceUID
mr.PatientName = 'INTRUDER^EVE'; mr.save_as('{forged}')
"""], check=True)
    send = lambda path: subprocess.run([STORESCU, "-aec", "TELERAD", "127.0.0.1", str(receiver.port), str(path)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    send(SAMPLES / "CT_small.dcm")
    second = send(forged)
    names = subprocess.run(["grep", "-rl", "INTRUDER", str(receiver.inbox)], capture_output=True, text=True).stdout.strip()
    receiver.stop()
    refused = second.returncode != 0 or "0x0111" in second.stderr or "Duplicate" in second.stderr
    return ("refused, first copy kept" if refused and not names else "accepted" + (", intruder's object stored" if names else ""))


def memory(kind, bin_dir, work, size, deflate):
    receiver = Receiver(kind, bin_dir, work)
    path = Path(work) / "large.dcm"
    subprocess.run(["python3", str(ROOT / "scripts" / "make-large-object.py"), str(path), str(size)] + (["deflate"] if deflate else []), check=True)
    start = time.perf_counter()
    sent = subprocess.run([STORESCU] + (["-xd"] if deflate else []) + ["-aec", "TELERAD", "127.0.0.1", str(receiver.port), str(path)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = peak_mb(receiver.process.pid)
    path.unlink()
    receiver.stop()
    return f"{peak:.0f} MB ({seconds:.1f} s{'' if sent.returncode == 0 else ', store failed'})"


def tls_checks(bin_dir, work):
    folder = Path(tempfile.mkdtemp(dir=work))
    run = lambda *args: subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(folder / "ca.key"), "-out", str(folder / "ca.crt"),
        "-days", "2", "-subj", "/CN=bench CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(folder / "other.key"), "-out", str(folder / "other.csr"), "-subj", "/CN=other")
    (folder / "other.ext").write_text("subjectAltName=DNS:pacs.other-hospital.example\n")
    run("x509", "-req", "-in", str(folder / "other.csr"), "-CA", str(folder / "ca.crt"), "-CAkey", str(folder / "ca.key"),
        "-CAcreateserial", "-out", str(folder / "other.crt"), "-days", "2", "-extfile", str(folder / "other.ext"))
    os.chmod(folder / "other.key", 0o600)
    receiver = Receiver("ours", bin_dir, work, ["--tls", "--cert", str(folder / "other.crt"), "--key", str(folder / "other.key")])
    echo = lambda *extra: subprocess.run([str(bin_dir / "dcm-send"), "--echo", f"TELERAD@127.0.0.1:{receiver.port}", "--timeout", "5", *extra],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    mismatch = echo("--tls", "--ca-file", str(folder / "ca.crt"))
    named = echo("--tls", "--ca-file", str(folder / "ca.crt"), "--peer-name", "pacs.other-hospital.example")
    plain = echo()
    receiver.stop()
    shutil.rmtree(folder, ignore_errors=True)
    return [("TLS: certificate for another host", "refused" if mismatch != 0 else "ACCEPTED"),
            ("TLS: the same with --peer-name naming it", "accepted" if named == 0 else "refused"),
            ("plaintext to the TLS receiver", "refused" if plain != 0 else "ACCEPTED")]


def main():
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = Path(subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip())
    work = tempfile.mkdtemp(prefix="telerad-receiver-")
    try:
        rows = [("C-ECHO while 10 idle connections are held open", idle_sockets("ours", bin_dir, work), idle_sockets("storescp", bin_dir, work)),
                ("forged overwrite (MR under a stored CT's UID)", forged_overwrite("ours", bin_dir, work), forged_overwrite("storescp", bin_dir, work)),
                ("peak memory, 1 GB uncompressed object", memory("ours", bin_dir, work, 1_000_000_000, False),
                 memory("storescp", bin_dir, work, 1_000_000_000, False)),
                ("peak memory, Deflated bomb (1 GB inflated)", memory("ours", bin_dir, work, 1_000_000_000, True),
                 memory("storescp", bin_dir, work, 1_000_000_000, True))]
        rows += [(name, result, "-") for name, result in tls_checks(bin_dir, work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["# Receiver under attack", "", f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}.",
             "Command: `python3 bench/receiver.py` (also in `make bench`). Target: echo well under 1 s, memory under 100 MB.", "",
             "| attack | dcm-send --listen | storescp (DCMTK 3.6.7, defaults) |", "|---|---|---|"]
    lines += [f"| {name} | {ours} | {theirs} |" for name, ours, theirs in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "receiver.md").write_text(text)


if __name__ == "__main__":
    main()
