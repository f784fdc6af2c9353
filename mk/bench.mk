# Performance benchmark: the stock `rasa init` bot against Untangle (bench/, docs/benchmarks.md).
# make bench          full run (~15 min on 2 quiet cores), figures in results/bench/bench.json and bench.md
# make bench-smoke    a few messages per measurement: fails only on crashes or failed messages, never on timings
# make bench-quality  cross-validated intent F1 and the safety evaluation, config.yml against a DIET pipeline (slow)
# BENCH_ARGS adds options, e.g. BENCH_ARGS="--variant bench/configs/ted.yml" (make bench-variants does that).
BENCH_OUT  ?= results/bench
BENCH_ARGS ?=

.PHONY: bench bench-smoke bench-variants bench-quality

bench: $(MODEL)
	$(BIN)/python -m bench --out $(BENCH_OUT)/bench.json $(BENCH_ARGS)

bench-smoke: $(MODEL)
	$(BIN)/python -m bench --smoke --out $(BENCH_OUT)/smoke/bench.json $(BENCH_ARGS)

bench-variants: $(MODEL)
	$(BIN)/python -m bench --out $(BENCH_OUT)/variants/bench.json --variant bench/configs/ted.yml $(BENCH_ARGS)

bench-quality: $(MODEL)
	BIN=$(BIN) bench/quality.sh $(BENCH_OUT)/quality
