# Load: 100 concurrent conversations x 20 turns, then 10,000 short ones while sampling the Rasa server's memory,
# against a real Rasa server started for the run as `make run` has it, actions inside it (tests/load/run_load.py,
# docs/privacy.md).
# Fails on any error, any wrong or out-of-order reply, or resident memory growing more than 10 % after the
# warm-up; timings are reported, never judged. Figures: results/load/. Sizes: make load-test LOAD_ARGS="--help".
.PHONY: load-test
LOAD_ARGS ?=
load-test: $(MODEL)
	$(BIN)/python -m tests.load.run_load $(LOAD_ARGS)
