# The container image (Containerfile) and the compose set-up (deploy/compose.yml), built and tested with Debian's
# podman, runc and podman-compose (README: "Deploy with a container"). No registry is reachable where this runs, so
# the base is a local stand-in for python:3.10-slim (deploy/container/build_test_base.sh: debootstrap bookworm and
# this machine's Python 3.10), and Redis and nginx are Debian's on that base. Figures: results/image/figures.json.
# podman reads deploy/container/containers.conf (runc, no default ulimits), never /etc.
IMAGE_TEST_BASE  ?= localhost/untangle-test-base:bookworm
IMAGE_TEST_IMAGE ?= localhost/untangle:test
IMAGE_TEST_REDIS ?= localhost/untangle-test-redis:bookworm
IMAGE_TEST_NGINX ?= localhost/untangle-test-nginx:bookworm
IMAGE_PODMAN     := CONTAINERS_CONF=$(CURDIR)/deploy/container/containers.conf podman
# --format docker keeps the HEALTHCHECK (OCI images have none); --network host: the build reaches PyPI as the host does.
IMAGE_BUILD      := $(IMAGE_PODMAN) build --format docker --network host --build-arg BASE_IMAGE=$(IMAGE_TEST_BASE)

.PHONY: image-test image-test-images

image-test: image-test-images | $(STAMPS)/venv
	UNTANGLE_IMAGE_TEST=1 UNTANGLE_TEST_IMAGE=$(IMAGE_TEST_IMAGE) UNTANGLE_TEST_REDIS_IMAGE=$(IMAGE_TEST_REDIS) \
	  UNTANGLE_TEST_NGINX_IMAGE=$(IMAGE_TEST_NGINX) CONTAINERS_CONF=$(CURDIR)/deploy/container/containers.conf \
	  $(BIN)/python -m pytest -q -p no:cacheprovider -m image tests/image
	@cat results/image/figures.json

image-test-images:
	@scripts/install_system_packages.sh image
	@mkdir -p results/image && rm -f results/image/figures.json
	CONTAINERS_CONF=$(CURDIR)/deploy/container/containers.conf deploy/container/build_test_base.sh $(IMAGE_TEST_BASE)
	@started=$$(date +%s); \
	  $(IMAGE_BUILD) -t $(IMAGE_TEST_IMAGE) -f Containerfile . >results/image/build.log 2>&1 \
	    || { tail -40 results/image/build.log; exit 1; }; \
	  echo "{\"image_build_seconds\": $$(( $$(date +%s) - started ))}" > results/image/figures.json; \
	  echo "$(IMAGE_TEST_IMAGE) built in $$(( $$(date +%s) - started )) s (log: results/image/build.log)"
	$(IMAGE_BUILD) -q -t $(IMAGE_TEST_REDIS) -f deploy/container/Containerfile.test-redis deploy/container >/dev/null
	$(IMAGE_BUILD) -q -t $(IMAGE_TEST_NGINX) -f deploy/container/Containerfile.test-nginx deploy/container >/dev/null
