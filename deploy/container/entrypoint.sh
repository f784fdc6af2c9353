#!/usr/bin/env bash
# The container's entry point: the Rasa server as scripts/run.sh starts it (TensorFlow-free launcher, custom actions
# inside it, one BLAS thread), configured by the same UNTANGLE_* variables. Extra arguments go to `rasa run`.
#   UNTANGLE_API_TOKEN        Rasa's HTTP API on, every call needing this token (off when unset)
#   UNTANGLE_ALLOWED_ORIGINS  CORS origins, space- or comma-separated (none when unset: no cross-origin page may call it)
#   UNTANGLE_CRISIS_LINES     an organisation's own crisis-line file, mounted into the container (docs/safety.md)
#   UNTANGLE_ENDPOINTS        endpoints file (default endpoints.yml: conversations in memory; deploy/endpoints.yml: Redis)
#   UNTANGLE_CREDENTIALS      channels file (default credentials.yml)
#   UNTANGLE_PORT             port inside the container (default 5005)
# Writes only to /tmp (the endpoints file below; Rasa unpacks the model there). Logs go to stdout.
set -euo pipefail
exec 2>&1
port=${UNTANGLE_PORT:-5005}
endpoints_source=${UNTANGLE_ENDPOINTS:-endpoints.yml}
IFS=', ' read -r -a allowed_origins <<< "${UNTANGLE_ALLOWED_ORIGINS:-}"
options=()
[ ${#allowed_origins[@]} -gt 0 ] && options+=(--cors "${allowed_origins[@]}")
[ -n "${UNTANGLE_API_TOKEN:-}" ] && options+=(--enable-api --auth-token "$UNTANGLE_API_TOKEN")
if [ -n "${UNTANGLE_CRISIS_LINES:-}" ] && [ ! -r "$UNTANGLE_CRISIS_LINES" ]; then
  echo "error: UNTANGLE_CRISIS_LINES=$UNTANGLE_CRISIS_LINES is not a readable file in the container (mount it with -v)" >&2
  exit 1
fi

# The endpoints with the custom actions inside this process (actions_module), as `make run` has them; Rasa's
# ${...} placeholders (deploy/endpoints.yml) are kept for Rasa to fill in.
endpoints=$(mktemp /tmp/untangle-endpoints.XXXXXX.yml)
python - "$endpoints_source" "$endpoints" <<'PY'
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as source:
    endpoints = yaml.safe_load(source) or {}
endpoints["action_endpoint"] = {**(endpoints.get("action_endpoint") or {}), "actions_module": "actions"}
with open(sys.argv[2], "w", encoding="utf-8") as target:
    yaml.safe_dump(endpoints, target)
PY

echo "Untangle: REST channel on port $port at /webhooks/rest/webhook; CORS origins: ${allowed_origins[*]:-none};" \
  "HTTP API: $([ -n "${UNTANGLE_API_TOKEN:-}" ] && echo 'on, with the token' || echo off);" \
  "crisis lines: ${UNTANGLE_CRISIS_LINES:-built-in}; endpoints: $endpoints_source"
exec python -m untangle_server.serve run --model models/untangle.tar.gz --interface 0.0.0.0 --port "$port" \
  --credentials "${UNTANGLE_CREDENTIALS:-credentials.yml}" --endpoints "$endpoints" ${options[@]+"${options[@]}"} "$@"
