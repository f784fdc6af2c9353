#!/usr/bin/env bash
# Start the scaled set-up on this host, on loopback: redis-server, N action servers, N Rasa replicas, nginx.
# Run from the project root: deploy/run.sh [replicas (2)] [action servers (2)]; Ctrl+C stops everything.
# A sketch of the real thing: production runs each of these under systemd or as containers (deploy/README.md).
set -euo pipefail
replicas=${1:-2}; action_servers=${2:-2}
bin=.venv/bin
public_port=${UNTANGLE_PUBLIC_PORT:-8000}          # nginx: the widget's data-server
rasa_port=${UNTANGLE_RASA_PORT:-5105}              # first replica; the others follow
actions_port=${UNTANGLE_FIRST_ACTIONS_PORT:-5155}  # first action server; the others follow
export UNTANGLE_REDIS_HOST=127.0.0.1 UNTANGLE_REDIS_PORT=${UNTANGLE_REDIS_PORT:-6379}
export UNTANGLE_ACTIONS_HOST=127.0.0.1 UNTANGLE_ACTIONS_PORT=${UNTANGLE_ACTIONS_PORT:-5154}  # nginx, internal
# SANIC_KEEP_ALIVE_TIMEOUT: see scripts/run.sh (action-server connections closed under load).
export TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-10} SANIC_HOST=127.0.0.1 SANIC_KEEP_ALIVE_TIMEOUT=60 TF_CPP_MIN_LOG_LEVEL=2
# Rasa's usage reports to Rasa (telemetry): off unless the organisation sets RASA_TELEMETRY_ENABLED=true.
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}
state=build/deploy  # nginx config, logs and temp folder; Redis keeps nothing on disk
cors_origin=${UNTANGLE_CORS_ORIGIN:-http://localhost:8080}

[ -f models/untangle.tar.gz ] || { echo "error: no models/untangle.tar.gz; run make train first" >&2; exit 1; }
for tool in redis-server nginx; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (Debian: apt-get install redis-server nginx)" >&2; exit 1; }
done

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; echo "Stopped."; }
trap stop INT TERM EXIT
mkdir -p "$state/logs"

redis-server deploy/redis.conf --port "$UNTANGLE_REDIS_PORT" --dir "$PWD/$state" >"$state/logs/redis.log" 2>&1 &
pids+=($!)

rasa_addresses=(); action_addresses=()
for ((i = 0; i < action_servers; i++)); do
  port=$((actions_port + i)); action_addresses+=("127.0.0.1:$port")
  "$bin/rasa" run actions --port "$port" >"$state/logs/actions-$port.log" 2>&1 & pids+=($!)
done
for ((i = 0; i < replicas; i++)); do
  port=$((rasa_port + i)); rasa_addresses+=("127.0.0.1:$port")
  "$bin/python" -m untangle_server.serve run --model models/untangle.tar.gz --interface 127.0.0.1 --port "$port" --cors "$cors_origin" \
    --credentials deploy/credentials.yml --endpoints deploy/endpoints.yml >"$state/logs/rasa-$port.log" 2>&1 &
  pids+=($!)
done

conf=$("$bin/python" -m deploy.nginx_conf --listen "127.0.0.1:$public_port" \
  --actions-listen "127.0.0.1:$UNTANGLE_ACTIONS_PORT" --rasa "${rasa_addresses[@]}" \
  --actions "${action_addresses[@]}" --prefix "$state/nginx")
nginx -c "$conf" -p "$PWD/$state/nginx" -e "$PWD/$state/nginx/logs/error.log" & pids+=($!)

echo "Waiting for $replicas Rasa replicas to load (about 15 s each; logs in $state/logs)..."
for address in "${rasa_addresses[@]}"; do
  until curl -sf "http://$address/" >/dev/null; do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A server exited during start-up." >&2; exit 1; }; done
    sleep 1
  done
done
cat <<MSG

  Untangle is running: $replicas Rasa replicas, $action_servers action servers, Redis, nginx.
    Public (nginx):  http://127.0.0.1:$public_port/webhooks/rest/webhook  and  /socket.io/
    Demo page:       python3 -m http.server 8080 --bind 127.0.0.1 --directory web, then open
                     http://localhost:8080/demo/?server=http://127.0.0.1:$public_port (CORS origin: $cors_origin)
    Redis:           127.0.0.1:$UNTANGLE_REDIS_PORT (conversations expire 30 min after their last message)
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
