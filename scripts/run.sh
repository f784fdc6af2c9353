#!/usr/bin/env bash
# Start the Rasa server (REST + socket.io) and the demo page; Ctrl+C stops them.
# The custom actions run inside the Rasa server (endpoints.yml's actions_module). With UNTANGLE_ACTION_SERVER=1 they
# run in their own action server (`rasa run actions`) instead, started here too.
#
# Locked down by default:
# - Rasa's HTTP API (trackers, model, events) is off; an operator who sets UNTANGLE_API_TOKEN gets it, and every
#   API request must then carry that token (?token=...). Rasa takes the token on its command line, so anyone who
#   can list this machine's processes can read it.
# - CORS answers only the origins in UNTANGLE_ALLOWED_ORIGINS (space- or comma-separated; default: the demo page).
# - An action server (UNTANGLE_ACTION_SERVER=1) listens on 127.0.0.1 only, and the Rasa server reaches it there.
# - The Rasa server listens on UNTANGLE_INTERFACE (default 0.0.0.0, all interfaces: the widget's visitors must
#   reach it).
# - Rasa's usage reports to Rasa (telemetry) are off unless RASA_TELEMETRY_ENABLED=true.
set -euo pipefail
# One BLAS thread per server process: the sentence encoder's matrix products are small, and on a busy 2-core
# machine a second thread waiting for a core made a short message's encoding twice as slow (docs/benchmarks.md).
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
# Rasa sends usage reports to Rasa unless told not to: off unless the organisation turns it on.
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}
rasa_port=${1:-5005}; actions_port=${2:-5055}; web_port=${3:-8080}
bin=.venv/bin
demo_origins="http://localhost:$web_port http://127.0.0.1:$web_port"
IFS=', ' read -r -a allowed_origins <<< "${UNTANGLE_ALLOWED_ORIGINS:-$demo_origins}"
api_options=()
api_status="off (set UNTANGLE_API_TOKEN to turn it on)"
if [ -n "${UNTANGLE_API_TOKEN:-}" ]; then
  api_options=(--enable-api --auth-token "$UNTANGLE_API_TOKEN"); api_status="on, every call needs the token"
fi

# endpoints.yml with the action server's loopback address and port; without actions_module for an action server.
endpoints=$(mktemp "${TMPDIR:-/tmp}/untangle-endpoints.XXXXXX")
actions_where=$("$bin/python" - "$actions_port" "$endpoints" "${UNTANGLE_ACTION_SERVER:-}" <<'PY'
import sys, yaml
with open("endpoints.yml", encoding="utf-8") as source:
    endpoints = yaml.safe_load(source) or {}
action_endpoint = {**(endpoints.get("action_endpoint") or {}), "url": f"http://127.0.0.1:{sys.argv[1]}/webhook"}
if sys.argv[3] == "1":
    action_endpoint.pop("actions_module", None)
endpoints["action_endpoint"] = action_endpoint
with open(sys.argv[2], "w", encoding="utf-8") as target:
    yaml.safe_dump(endpoints, target)
print("in-process" if action_endpoint.get("actions_module") else "server")
PY
)

pids=()
stop() {
  trap - INT TERM EXIT
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  rm -f "$endpoints"; echo "Untangle stopped."
}
trap stop INT TERM EXIT

actions_status="inside the Rasa server (endpoints.yml: actions_module)"
if [ "$actions_where" = server ]; then
  # Keep-alive 60 s: under load Sanic's default 5 s closed some connections before their first request arrived,
  # losing that action's reply (measured: 26 of 100 conversations).
  SANIC_HOST=127.0.0.1 SANIC_KEEP_ALIVE_TIMEOUT=60 "$bin/rasa" run actions --port "$actions_port" & pids+=($!)
  actions_status="action server at http://127.0.0.1:$actions_port (this machine only)"
fi
# `rasa run` without TensorFlow (untangle_server/serve.py): the same CLI and options, half the start-up and memory.
"$bin/python" -m untangle_server.serve run --model models/untangle.tar.gz --interface "${UNTANGLE_INTERFACE:-0.0.0.0}" --port "$rasa_port" \
  --cors "${allowed_origins[@]}" --credentials credentials.yml --endpoints "$endpoints" \
  ${api_options[@]+"${api_options[@]}"} & pids+=($!)
"$bin/python" -m http.server "$web_port" --bind 127.0.0.1 --directory web >/dev/null 2>&1 & pids+=($!)

echo "Waiting for the assistant to load..."
until curl -sf "http://localhost:$rasa_port/" >/dev/null; do
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A server exited during start-up." >&2; exit 1; }; done
  sleep 1
done
cat <<MSG

  Untangle is running.
    Demo page:      http://localhost:$web_port/demo/?server=http://localhost:$rasa_port
    REST channel:   http://localhost:$rasa_port/webhooks/rest/webhook
    Actions:        $actions_status
    HTTP API:       $api_status
    CORS origins:   ${allowed_origins[*]}
    Rasa telemetry: $([ "${RASA_TELEMETRY_ENABLED,,}" = true ] && echo on || echo 'off (set RASA_TELEMETRY_ENABLED=true to turn it on)')
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
