#!/usr/bin/env bash
# `make bench-wan`: runs bindings-node/bench/wan.mjs twice: on plain loopback, then inside a
# private network namespace (`unshare -n`, root only) whose loopback is shaped to 200 Mbit/s with
# a token bucket. `netem` is missing from this kernel, so the server adds the latency itself.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== loopback"
BENCH_LINK="loopback, not shaped" node bindings-node/bench/wan.mjs
echo
echo "== shaped link"
exec unshare -n bash -c '
  set -euo pipefail
  ip link set lo up
  tc qdisc add dev lo root tbf rate 200mbit burst 256kb latency 200ms
  BENCH_LINK="$(tc qdisc show dev lo | head -1)" node bindings-node/bench/wan.mjs
'
