#!/usr/bin/env bash
# Debian packages the tests need that a fresh machine lacks: installed when run as root (by `make test` and .ci/run);
# otherwise it stops at once, naming the one command to run. Installs nothing when all are there.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v npm >/dev/null 2>&1 || needed+=(npm)
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)  # tests/deploy
command -v nginx >/dev/null 2>&1 || needed+=(nginx)  # tests/deploy
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${needed[*]}. Run once: sudo $0" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
