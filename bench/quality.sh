#!/usr/bin/env bash
# Quality comparison for docs/benchmarks.md: 5-fold cross-validated intent F1 and the safety evaluation,
# Untangle's config.yml against a DIET pipeline (bench/configs/diet.yml), on the same data.
# Usage: bench/quality.sh [OUT_DIR]  (default results/bench/quality; slow: DIET trains 6 times)
set -euo pipefail
out=${1:-results/bench/quality}
bin=${BIN:-.venv/bin}
mkdir -p "$out"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export RASA_CACHE_DIRECTORY=$cache TF_CPP_MIN_LOG_LEVEL=2

step() {  # step NAME CMD...: run CMD, its output in $out/NAME.log, its wall time in $out/times.tsv
  local name=$1; shift
  local start=$SECONDS status=0
  "$@" >"$out/$name.log" 2>&1 || status=$?
  printf '%s\t%s\t%s\n' "$name" "$((SECONDS - start))" "$status" >>"$out/times.tsv"
  echo "$name: ${status} after $((SECONDS - start)) s"
}

: >"$out/times.tsv"
step cv-untangle "$bin/rasa" test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 \
  --out "$out/cv-untangle"
step safety-untangle "$bin/python" -m tools.safety_eval tests/safety/labelled.jsonl --model models/untangle.tar.gz \
  --out "$out/safety-untangle.json"
step train-diet "$bin/rasa" train --config bench/configs/diet.yml --out "$out/models" --fixed-model-name untangle-diet
step safety-diet "$bin/python" -m tools.safety_eval tests/safety/labelled.jsonl \
  --model "$out/models/untangle-diet.tar.gz" --out "$out/safety-diet.json"
step cv-diet "$bin/rasa" test nlu --nlu data/nlu --config bench/configs/diet.yml --cross-validation --folds 5 \
  --out "$out/cv-diet"
"$bin/python" -m bench.quality_summary "$out"
