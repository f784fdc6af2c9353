# Performance benchmark: the stock `rasa init` bot against Untangle (bench/, docs/benchmarks.md).
# make bench          full run (~15 min on 2 quiet cores), figures in results/bench/bench.json and bench.md
# make bench-smoke    a few messages per measurement: fails only on crashes or failed messages, never on timings
# make bench-quality  cross-validated intent F1 and the safety evaluation, config.yml against a DIET pipeline (slow)
# BENCH_ARGS adds options, e.g. BENCH_ARGS="--variant bench/configs/ted.yml" (make bench-variants does that).
# Every run also measures the model served by BENCH_WORKERS Sanic workers on Redis (0: not; needs redis-server).
BENCH_OUT  ?= results/bench
BENCH_ARGS ?=
BENCH_WORKERS ?= 2

.PHONY: bench bench-smoke bench-variants bench-quality

bench: $(MODEL)
	$(BIN)/python -m bench --workers $(BENCH_WORKERS) --out $(BENCH_OUT)/bench.json $(BENCH_ARGS)

bench-smoke: $(MODEL)
	$(BIN)/python -m bench --workers $(BENCH_WORKERS) --smoke --out $(BENCH_OUT)/smoke/bench.json $(BENCH_ARGS)

bench-variants: $(MODEL)
	$(BIN)/python -m bench --workers $(BENCH_WORKERS) --out $(BENCH_OUT)/variants/bench.json --variant bench/configs/ted.yml $(BENCH_ARGS)

bench-quality: $(MODEL)
	BIN=$(BIN) bench/quality.sh $(BENCH_OUT)/quality
