#!/usr/bin/env bash
# Start the action server, the Rasa server (REST + socket.io) and the demo page; Ctrl+C stops all three.
set -euo pipefail
rasa_port=${1:-5005}; actions_port=${2:-5055}; web_port=${3:-8080}
bin=.venv/bin
pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; echo "Untangle stopped."; }
trap stop INT TERM EXIT

"$bin/rasa" run actions --port "$actions_port" & pids+=($!)
"$bin/rasa" run --model models/untangle.tar.gz --port "$rasa_port" --cors "http://localhost:$web_port" \
  --credentials credentials.yml --endpoints endpoints.yml & pids+=($!)
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
    Action server:  http://localhost:$actions_port
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
