# The scaled set-up in deploy/: Redis, nginx, several Rasa replicas and action servers (deploy/README.md).
.PHONY: deploy-test deploy-up

# Real redis-server and nginx (Debian packages) with two Rasa replicas on loopback; about a minute.
deploy-test: setup $(MODEL)
	$(BIN)/python -m pytest -q -m deploy tests/deploy

# Start it all on this host: make deploy-up REPLICAS=3 ACTION_SERVERS=2
REPLICAS ?= 2
ACTION_SERVERS ?= 2
deploy-up: setup $(MODEL)
	deploy/run.sh $(REPLICAS) $(ACTION_SERVERS)
