#!/usr/bin/env bash
# The demo: the tools that exist, end to end, on a generated study. Needs nothing but the repository
# (and the system packages `make` installs).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build -c release --show-bin-path)
out=demo-out
rm -rf "$out"
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }

step "1. Generate a small stroke study (non-contrast CT, CT angiography, CT perfusion)"
"$bin/transfer-bench" make-study --protocol stroke --scale 0.02 --seed 42 -o "$out/study"

step "2. Compress it losslessly to JPEG-LS (every image decoded and checked bit-exact before writing)"
"$bin/dcm-compress" --codec jpeg-ls -o "$out/jpeg-ls" "$out/study"
raw=$(du -sb "$out/study" | cut -f1)
packed=$(du -sb "$out/jpeg-ls" | cut -f1)

step "3. Decompress back to Explicit VR Little Endian"
"$bin/dcm-compress" --codec none -o "$out/restored" "$out/jpeg-ls"

step "3b. Move the study as one transport bundle through a pipe, as to an island site over ssh"
"$bin/dcm-compress" pack -o - "$out/study" | "$bin/dcm-compress" unpack -o "$out/island" -
diff -r "$out/study" "$out/island" >/dev/null && echo "every file restored byte for byte"

step "3c. Which codec for a 10 Mbit/s island link?"
"$bin/dcm-compress" --auto --link-rate 10Mbit -o "$out/auto" "$out/study/1_NCCT"

step "4. Leak scan: the study is not de-identified yet, so the scanner must find its identity"
if "$bin/dcm-anon" scan --originals "$out/study" "$out/jpeg-ls/1_NCCT" 2>"$out/scan.txt"; then
    echo "unexpected: no identifying value found" >&2
    exit 1
fi
tail -n 1 "$out/scan.txt"

step "5. Verify a DICOM peer (DCMTK storescp on loopback) with C-ECHO"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
storescp --aetitle DEMO --output-directory "$out" "$port" &
peer=$!
trap 'kill $peer 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done
"$bin/dcm-send" --echo "DEMO@127.0.0.1:$port"

step "6. French public holidays the 2027 rota will count"
"$bin/rota-plan" holidays 2027

step "Summary"
python3 -c 'import sys; n, raw, packed = map(int, sys.argv[1:]); print(f"study: {n} images, {raw/1e6:.1f} MB raw, {packed/1e6:.1f} MB as JPEG-LS ({raw/packed:.2f}x), every image verified bit-exact")' \
    "$(find "$out/study" -name '*.dcm' | wc -l)" "$raw" "$packed"
echo "outputs in $out/"
