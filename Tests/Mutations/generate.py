#!/usr/bin/env python3
"""Deterministic mutation corpus for the robustness tests: damaged versions of the shared sample objects
(truncations, absurd lengths and VRs, byte flips, absurd image geometry, wrong transfer syntaxes) and
synthetic deep nesting with and without delimiters. Usage: generate.py SAMPLE_FOLDER OUTPUT_FOLDER"""
import os, random, struct, sys
src = sys.argv[1]; out = sys.argv[2]; os.makedirs(out, exist_ok=True)
rnd = random.Random(1234)
files = sorted(f for f in os.listdir(src) if f.endswith(".dcm"))
count = 0
def emit(name, data):
    global count
    open(os.path.join(out, f"{count:05d}-{name}"), "wb").write(data); count += 1
for f in files:
    d = open(os.path.join(src, f), "rb").read()
    base = f[:-4]
    for i in range(20):  # truncations spread over the file
        emit(f"{base}-trunc{i}.dcm", d[: max(1, len(d) * (i + 1) // 22)])
    vr_pos = [i for i in range(132, min(len(d) - 8, 20000)) if d[i:i+2] in (b"OB", b"OW", b"SQ", b"UN", b"UT", b"UL", b"US", b"LO", b"PN", b"DS", b"UI", b"CS")]
    for i in range(20):  # absurd lengths after a VR
        if not vr_pos: break
        p = rnd.choice(vr_pos); m = bytearray(d)
        if d[p:p+2] in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
            m[p+4:p+8] = struct.pack("<I", rnd.choice([0xFFFFFFFF, 0xFFFFFFF0, 0x7FFFFFFF, len(d) * 3, 1, 3]))
        else:
            m[p+2:p+4] = struct.pack("<H", rnd.choice([0xFFFF, 0xFFF1, 1, 3]))
        emit(f"{base}-len{i}.dcm", bytes(m))
    for i in range(15):  # absurd VRs
        if not vr_pos: break
        p = rnd.choice(vr_pos); m = bytearray(d); m[p:p+2] = bytes(rnd.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!?\x00\xff") for _ in range(2))
        emit(f"{base}-vr{i}.dcm", bytes(m))
    for i in range(20):  # random byte flips
        m = bytearray(d)
        for _ in range(8): m[rnd.randrange(len(m))] = rnd.randrange(256)
        emit(f"{base}-flip{i}.dcm", bytes(m))
    for tag, label in ((b"\x28\x00\x10\x00", "rows"), (b"\x28\x00\x11\x00", "cols"), (b"\x28\x00\x00\x01", "bits"), (b"\x28\x00\x08\x00", "frames")):
        p = d.find(tag, 132)
        if p >= 0:
            for v, suffix in ((0xFFFF, "max"), (0, "zero")):
                m = bytearray(d)
                vp = p + 8
                if d[p+4:p+6] == b"IS": m[vp:vp+2] = b"99"
                else: m[vp:vp+2] = struct.pack("<H", v)
                emit(f"{base}-{label}{suffix}.dcm", bytes(m))
    for ts in (b"1.2.840.10008.1.2.2\x00", b"1.2.840.10008.1.2\x00\x00\x00", b"1.2.840.10008.1.2.4.80", b"1.2.840.10008.1.2.5\x00", b"1.2.840.10008.1.2.1.99"):
        p = d.find(b"1.2.840.10008.1.2", 132, 600)
        if p >= 0:
            m = bytearray(d); m[p:p+len(ts)] = ts; emit(f"{base}-ts{ts[-4:].hex()}.dcm", bytes(m))
# deep nesting, undefined lengths, no delimiters
for depth in (10, 100, 1000, 5000):
    body = b""
    for _ in range(depth):
        body += b"\x08\x00\x15\x11SQ\x00\x00\xff\xff\xff\xff" + b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
    hdr = b"\x00" * 128 + b"DICM"
    tsuid = b"1.2.840.10008.1.2.1\x00"
    el = b"\x02\x00\x10\x00UI" + struct.pack("<H", len(tsuid)) + tsuid
    grp = b"\x02\x00\x00\x00UL\x04\x00" + struct.pack("<I", len(el))
    emit(f"nest{depth}-nodelim.dcm", hdr + grp + el + body)
    emit(f"nest{depth}-delim.dcm", hdr + grp + el + body + (b"\xfe\xff\x0d\xe0\x00\x00\x00\x00" + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00") * depth)
print(count)
