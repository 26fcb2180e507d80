#!/usr/bin/env bash
# Regenerates Completions/ (bash, zsh, fish) and Man/ (mdoc, one page per tool) from the argument parser.
# With --check, generates into a temporary folder and fails when the committed files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=(dcm-anon dcm-send dcm-compress rota-plan transfer-bench)
date=2026-11-30  # pinned so the pages only change when the command lines do
check=false
[ "${1:-}" = "--check" ] && check=true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

swift build -c debug >/dev/null
bin=$(swift build -c debug --show-bin-path)
mkdir -p "$out/Completions/bash" "$out/Completions/zsh" "$out/Completions/fish" "$out/Man"
for tool in "${tools[@]}"; do
    "$bin/$tool" --generate-completion-script bash >"$out/Completions/bash/$tool"
    "$bin/$tool" --generate-completion-script zsh >"$out/Completions/zsh/_$tool"
    "$bin/$tool" --generate-completion-script fish >"$out/Completions/fish/$tool.fish"
done
rm -rf .build/plugins/GenerateManual/outputs
swift package generate-manual --date "$date" >/dev/null 2>&1 || swift package generate-manual --date "$date"
for tool in "${tools[@]}"; do
    cp ".build/plugins/GenerateManual/outputs/$tool/$tool.1" "$out/Man/$tool.1"
done

if $check; then
    if ! diff -r "$out/Completions" Completions >/dev/null || ! diff -r "$out/Man" Man >/dev/null; then
        diff -r "$out/Completions" Completions | head -20 || true
        diff -r "$out/Man" Man | head -20 || true
        echo "Completions/ or Man/ are stale: run 'make docs' and commit the result" >&2
        exit 1
    fi
    echo "Completions/ and Man/ are fresh"
else
    rm -rf Completions Man
    cp -r "$out/Completions" "$out/Man" .
    echo "regenerated Completions/ and Man/"
fi
