#!/usr/bin/env bash
# The demo: the mission end to end on a generated stroke study, then a summary and demo-out/report.html.
# Needs nothing but the repository (and the system packages `make` installs).
set -euo pipefail
cd "$(dirname "$0")/.."
# TELERAD_BIN: the tools' folder (default: the release build); DEMO_OUT: where everything goes.
bin=${TELERAD_BIN:-$(swift build -c release --show-bin-path)}
out=${DEMO_OUT:-demo-out}
rm -rf "$out"
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }

step "1. Generate a small stroke study (non-contrast CT, CT angiography, CT perfusion)"
"$bin/transfer-bench" make-study --protocol stroke --scale 0.02 --seed 42 -o "$out/study"

step "1b. De-identify it for the remote neuroradiologist (PS3.15, keyed: the hospital keeps the key and the map)"
openssl rand -hex 32 >"$out/site.key"
chmod 600 "$out/site.key"
"$bin/dcm-anon" --key-file "$out/site.key" --map "$out/site-map.csv" --retain-modified-dates \
    --report "$out/anon-report.jsonl" -o "$out/anon" "$out/study"
"$bin/dcm-anon" scan --originals "$out/study" "$out/anon" 2>&1 | tail -n 1

step "2. Compress it losslessly to JPEG-LS (every image decoded and checked bit-exact before writing)"
"$bin/dcm-compress" --codec jpeg-ls -o "$out/jpeg-ls" "$out/anon"

step "3. Decompress back to Explicit VR Little Endian"
"$bin/dcm-compress" --codec none -o "$out/restored" "$out/jpeg-ls"

step "3b. Move the study as one transport bundle through a pipe, as to an island site over ssh"
"$bin/dcm-compress" pack -o - "$out/study" | "$bin/dcm-compress" unpack -o "$out/island" -
diff -r "$out/study" "$out/island" >/dev/null && echo "every file restored byte for byte"

step "3c. Which codec for a 10 Mbit/s island link?"
"$bin/dcm-compress" --auto --link-rate 10Mbit -o "$out/auto" "$out/study/1_NCCT"

step "4. Leak scan of the original study itself: the scanner must find its identity there"
if "$bin/dcm-anon" scan --originals "$out/study" "$out/study/1_NCCT" 2>"$out/scan.txt"; then
    echo "unexpected: no identifying value found" >&2
    exit 1
fi
tail -n 1 "$out/scan.txt"

step "5. Send the JPEG-LS study over an emulated 4G link (20 Mbit/s, 50 ms) to the embedded receiver"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
port=$(free_port)
link_port=$(free_port)
"$bin/dcm-send" --listen "$port" --aet EXPERT -o "$out/received" &
receiver=$!
"$bin/transfer-bench" shape --link 4g --to "127.0.0.1:$port" --listen "$link_port" -q &
shaper=$!
trap 'kill -INT $receiver $shaper 2>/dev/null || true' EXIT
wait_port "$port" && wait_port "$link_port"
"$bin/dcm-send" --echo "EXPERT@127.0.0.1:$link_port"
"$bin/dcm-send" --associations 4 --journal "$out/journal.txt" --json "EXPERT@127.0.0.1:$link_port" "$out/jpeg-ls" >"$out/send.jsonl"
tail -n 1 "$out/send.jsonl"
echo "rerun after a (pretend) dropped link: only what was not confirmed would go"
"$bin/dcm-send" --journal "$out/journal.txt" "EXPERT@127.0.0.1:$link_port" "$out/jpeg-ls"
kill -INT $receiver $shaper
wait $receiver $shaper 2>/dev/null || true
trap - EXIT
sent=$(find "$out/jpeg-ls" -name '*.dcm' | wc -l)
arrived=$(find "$out/received" -name '*.dcm' | wc -l)
if [ "$sent" -ne "$arrived" ]; then
    echo "demo: $sent objects sent but $arrived arrived" >&2
    exit 1
fi
echo "all $arrived objects arrived, each once"
"$bin/dcm-anon" scan --originals "$out/study" "$out/received" 2>&1 | tail -n 1

step "5b. The expert's answer comes back under the pseudonym; the hospital files it under the real patient"
answer=$(find "$out/received" -name '*.dcm' | head -n 1)
"$bin/dcm-anon" reidentify --map "$out/site-map.csv" -o "$out/answers" "$answer"
python3 - "$answer" "$(find "$out/answers" -name "$(basename "$answer")")" <<'PY'
import subprocess, sys
def value(path, tag):
    out = subprocess.run(["/usr/bin/dcmdump", "+P", tag, path], capture_output=True, text=True).stdout
    return out.split("[", 1)[1].split("]", 1)[0] if "[" in out else "(none)"
print(f"Patient ID sent: {value(sys.argv[1], '0010,0020')}, filed back as: {value(sys.argv[2], '0010,0020')}")
PY

step "5c. How long would the CT angiography take to an island over 4G, and over satellite? Which settings?"
for link in 4g satellite; do
    "$bin/transfer-bench" run --link "$link" --study "$out/study/2_CTA" --chart "$out/link-$link.svg" --csv "$out/link-$link.csv" \
        --record "$out/link-$link.json.gz"
done
"$bin/transfer-bench" plot "$out"/link-4g.json.gz "$out"/link-satellite.json.gz -o "$out/link-series.svg"

step "5e. A stroke as it happens: the scanner hands on 10 images/s, the forwarding node streams them to the expert"
for link in island-radio 4g-evening; do
    "$bin/transfer-bench" run --scenario stroke --scale 0.02 --strategy pipeline --associations auto --link "$link" \
        --record "$out/stroke-$link.json.gz"
done
"$bin/transfer-bench" plot "$out"/stroke-island-radio.json.gz "$out"/stroke-4g-evening.json.gz -o "$out/stroke-series.svg"

step "5d. A forwarding node at the hospital: the scanner sends, the node de-identifies, compresses and forwards each image as it lands"
node_port=$(free_port)
expert_port=$(free_port)
mkdir -p "$out/node"
mkfifo "$out/node/arrivals"
# The expert's receiver; each stored path is stamped with the time it landed.
"$bin/dcm-send" --listen "$expert_port" --bind 127.0.0.1 --aet EXPERT -o "$out/expert" --print-paths |
    while read -r path; do echo "$(date +%s.%N) $path"; done >"$out/expert-arrivals.txt" &
expert=$!
"$bin/dcm-send" --listen "$node_port" --bind 127.0.0.1 --aet NODE -o "$out/node/inbox" --print-paths >"$out/node/arrivals" &
node_receiver=$!
"$bin/dcm-anon" --key-file "$out/site.key" --map "$out/node/map.csv" --files-from "$out/node/arrivals" --print-paths -o "$out/node/anon" -q |
    "$bin/dcm-compress" --codec jpeg-ls --files-from - --print-paths -o "$out/node/out" -q |
    "$bin/dcm-send" --calling-aet NODE --journal "$out/node/sent.journal" --files-from - -q "EXPERT@127.0.0.1:$expert_port" &
forward=$!
trap 'kill -INT $node_receiver 2>/dev/null; pkill -INT -f -- "--listen $expert_port" 2>/dev/null || true' EXIT
wait_port "$node_port" && wait_port "$expert_port"
start=$(date +%s.%N)
"$bin/dcm-send" --calling-aet CT01 -q "NODE@127.0.0.1:$node_port" "$out/study"
kill -INT $node_receiver
wait $forward
pkill -INT -f -- "--listen $expert_port" || true
wait $expert 2>/dev/null || true
trap - EXIT
python3 - "$start" "$out/expert-arrivals.txt" "$(find "$out/study" -name '*.dcm' | wc -l)" <<'PY'
import sys
start, lines, sent = float(sys.argv[1]), open(sys.argv[2]).read().split("\n"), int(sys.argv[3])
times = sorted(float(line.split()[0]) - start for line in lines if line.strip())
print(f"{len(times)} of {sent} images reached the expert, de-identified and compressed: "
      f"the first {times[0]:.2f} s after the scanner began sending, the last {times[-1]:.2f} s")
if len(times) != sent:
    sys.exit("demo: images missing at the expert")
PY

step "6. French public holidays the 2027 rota will count"
"$bin/rota-plan" holidays 2027

step "7. The territory's on-call rota for 2027: legal, fair, exported (CSV, iCalendar, fairness, month view)"
"$bin/rota-plan" solve examples/territory.yaml -o "$out/rota" --show 2027-02
echo "month view: $out/rota/month-view.html; calendars in $out/rota/calendars/"

step "7b. Dr B03 falls ill for a week in March: repair the published rota with as few changes as possible"
"$bin/rota-plan" repair examples/territory.yaml --published "$out/rota/rota.csv" \
    --unavailable B03:2027-03-01..2027-03-07 -o "$out/rota-repaired" | tee "$out/repair.txt"

step "7c. Who could take the Brest night garde of 3 March instead of its holder, and what would it do to fairness?"
"$bin/rota-plan" who-can examples/territory.yaml garde-nuit-chub 2027-03-03 --published "$out/rota/rota.csv" >"$out/who-can.txt"
head -n 6 "$out/who-can.txt"

step "7d. B07 would like to give away the weekend of 6-7 March: the fairest legal exchanges"
"$bin/rota-plan" swap examples/territory.yaml B07 --dates 2027-03-06..2027-03-07 --published "$out/rota/rota.csv" --limit 3 | tee "$out/swap.txt" || true

step "Summary"
python3 scripts/demo-report.py "$out"
