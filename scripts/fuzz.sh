#!/usr/bin/env bash
# Fuzzing and sanitizers over every parser of untrusted input (Fuzz/Targets).
#
#   scripts/fuzz.sh smoke  [TARGET...]  a fixed number of executions per target (make test)
#   scripts/fuzz.sh long   [TARGET...]  FUZZ_SECONDS (default 600) per target, corpus kept between runs (make fuzz)
#   scripts/fuzz.sh replay [TARGET...]  ASan/UBSan over the seeds and the 2,000-file mutation corpus (make sanitize)
#
# One build serves all three: libFuzzer's coverage over Swift, the C++ shim and the C targets, with
# AddressSanitizer and UndefinedBehaviorSanitizer over the shim and the C code. Swift checks its own bounds
# and arithmetic; swiftc's own -sanitize=address would silently drop Swift's coverage (Swift 6.3). A finding is written
# to .build-fuzz/findings/ and fails the run; replay it with `.build/debug/dicom-fuzz TARGET FILE`, fix it,
# and keep it in Fuzz/regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: scripts/fuzz.sh smoke|long|replay [TARGET...]}
shift
all_targets=(dataset pixels deidentify bundle rota-yaml curtois anon-yaml wishes-csv)
targets=("${@:-${all_targets[@]}}")
scratch=.build-fuzz
samples=Tests/Fixtures/dicom

echo "fuzz: building dicom-fuzz with libFuzzer, ASan and UBSan in $scratch (the first build takes a few minutes)"
swift build -c release --scratch-path "$scratch" --product dicom-fuzz --sanitize=fuzzer \
    -Xcc -fsanitize=address,undefined -Xcxx -fsanitize=address,undefined \
    -Xswiftc -Xclang-linker -Xswiftc -fsanitize=address,undefined -Xswiftc -DFUZZING 2>&1 | grep -v -E "Cannot export local symbol|^\[[0-9]+/[0-9]+\]" || true
binary="$scratch/release/dicom-fuzz"
[[ -x "$binary" ]] || { echo "fuzz: build failed" >&2; exit 1; }

# Swift's own crash handler would fight the sanitizers for the signal; UBSan findings must stop the run.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# Seeds per target, made once: DICOM samples (broken ones included), bundles packed from them, the rota
# example, the Curtois instances, the YAML seeds in Fuzz/seeds, the wishes spreadsheet example.
seeds="$scratch/seeds"
make_seeds() {
    rm -rf "$seeds"
    mkdir -p "$seeds"/{dicom,bundle,rota-yaml,curtois,anon-yaml,wishes-csv}
    find "$samples" -type f -name '*.dcm' -size -600k -exec cp {} "$seeds/dicom/" \;
    swift build --product dcm-compress >/dev/null
    local compress
    compress="$(swift build --show-bin-path)/dcm-compress"
    for file in CT_small MR_small emri_small OBXXXX1A_2frame; do
        "$compress" pack -o "$seeds/bundle/$file.dcmz" "$samples/$file.dcm"
    done
    "$compress" pack -o "$seeds/bundle/three.dcmz" "$samples/CT_small.dcm" "$samples/MR_small_bigendian.dcm" "$samples/rtplan.dcm"
    cp examples/*.yaml Fuzz/seeds/rota-yaml/*.yaml "$seeds/rota-yaml/"
    cp Tests/Fixtures/rota/curtois/Instance{1,2,3}.txt "$seeds/curtois/"
    cp Fuzz/seeds/anon-yaml/*.yaml "$seeds/anon-yaml/"
    cp examples/*.csv "$seeds/wishes-csv/"
}
[[ -d "$seeds/wishes-csv" ]] || make_seeds

seed_folder() {
    case "$1" in
        dataset|pixels|deidentify) echo "$seeds/dicom" ;;
        *) echo "$seeds/$1" ;;
    esac
}

findings="$scratch/findings"
mkdir -p "$findings"
failed=()
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    mkdir -p "$corpus"
    options=(-timeout=10 -rss_limit_mb=3072 -max_len=600000 -artifact_prefix="$findings/$target-" -print_final_stats=1)
    case "$mode" in
        smoke) options+=(-runs="${FUZZ_RUNS:-2000}" -seed=1) ;;
        long) options+=(-max_total_time="${FUZZ_SECONDS:-600}") ;;
        replay) options+=(-runs=0) ;;
        *) echo "fuzz: unknown mode $mode" >&2; exit 2 ;;
    esac
    folders=("$corpus" "$(seed_folder "$target")")
    # Inputs that once failed, kept as seeds in every mode.
    [[ -d Fuzz/regressions/$target ]] && folders+=("Fuzz/regressions/$target")
    if [[ $mode == replay && $target =~ ^(dataset|pixels|deidentify)$ ]]; then
        mutations="$scratch/mutations"
        [[ -d "$mutations" ]] || python3 Tests/Mutations/generate.py "$samples" "$mutations" >/dev/null
        folders+=("$mutations")
    fi
    echo "fuzz: $mode $target"
    log="$scratch/$target.log"
    if "$binary" "$target" "${options[@]}" "${folders[@]}" >"$log" 2>&1; then
        grep -E "stat::number_of_executed_units|Done [0-9]+ runs|INITED" "$log" | tail -2 | sed "s/^/  /"
    else
        echo "fuzz: $target FAILED (log $log):" >&2
        grep -E "ERROR|SUMMARY|Test unit written|panic|Fatal error|runtime error" "$log" | head -8 | sed "s/^/  /" >&2
        failed+=("$target")
    fi
done
if ((${#failed[@]})); then
    echo "fuzz: findings in ${failed[*]} (inputs in $findings)" >&2
    exit 1
fi
echo "fuzz: $mode passed for ${targets[*]}"
