#!/usr/bin/env bash
# memallook's HTTP service against its baselines, with the same wrk runs, interleaved.
#
#   Benchmarks/http/compare.sh [-d 10s] [-r 3] [-o DIR] [-s "memallook nginx fastapi flask"]
#
# Starts each server (memallook `serve`, nginx with one worker serving a static
# SHOW-sized body, the FastAPI/uvicorn and Flask baselines; with -s naming
# `hummingbird`, also hummingbird-floor/, Hummingbird 2 answering what nginx
# answers: what the framework alone costs), then for each round
# and each workload runs `wrk -t2 -c16 -d<D> --latency` against every server in
# turn (A B C D, A B C D, ...), so that a change in the machine's load touches
# every server alike. Before each memallook/Python run the heap is reset to the
# benchmark heap: NEW p=16 N=64, ALLOC 16, ALLOC 32. Workloads: GET /show, and
# ALLOC/DEALLOC pairs (alloc-dealloc.lua).
#
# Prints req/s and p99 (median over rounds) per server, and memallook's ratios
# to nginx and FastAPI, computed round by round and then the median taken.
# Raw figures go to DIR/runs.tsv (default: a fresh temporary directory).
#
# Environment:
#   MEMALLOOK="label=BINARY ..."  the memallook binaries to compare (default: build
#                                 the release binary, label "memallook"); several
#                                 labels compare builds (before/after) in one window
#   HUMMINGBIRD_FLOOR=BINARY      the hummingbird-floor binary (default: build it)
#   PORT_BASE=18080               ports PORT_BASE.. are used, one per server
# Needs: wrk, nginx, python3 with fastapi, uvicorn and flask. Kills what it started.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=10s
rounds=3
out=""
servers="memallook nginx fastapi flask"
while getopts "d:r:o:s:" flag; do
  case $flag in
    d) duration=$OPTARG ;;
    r) rounds=$OPTARG ;;
    o) out=$OPTARG ;;
    s) servers=$OPTARG ;;
    *) sed -n '2,23p' "$0"; exit 64 ;;
  esac
done
for tool in wrk nginx python3 curl; do
  command -v "$tool" >/dev/null || { echo "compare.sh: needs $tool (apt-get install -y wrk nginx curl)" >&2; exit 69; }
done
[ -n "$out" ] || out=$(mktemp -d /tmp/memallook-http-bench.XXXXXX)
mkdir -p "$out"
work=$(mktemp -d /tmp/memallook-http-servers.XXXXXX)
chmod 755 "$work"  # nginx's worker (user nobody) reads the body under it

started=()
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Which memallook binaries, by label.
declare -A binary
memallook_labels=()
if [[ " $servers " == *" memallook "* ]]; then
  if [ -z "${MEMALLOOK:-}" ]; then
    (cd "$root" && . scripts/requirements.sh && memallook_swift build -c release --product memallook >/dev/null)
    MEMALLOOK="memallook=$root/.build/release/memallook"
  fi
  for pair in $MEMALLOOK; do
    label=${pair%%=*}
    binary[$label]=${pair#*=}
    [ -x "${binary[$label]}" ] || { echo "compare.sh: no binary ${binary[$label]}" >&2; exit 66; }
    memallook_labels+=("$label")
  done
fi

if [[ " $servers " == *" hummingbird "* ]] && [ -z "${HUMMINGBIRD_FLOOR:-}" ]; then
  floor_package="$here/hummingbird-floor"
  (cd "$root" && . scripts/requirements.sh && memallook_swift build -c release --package-path "$floor_package" >/dev/null)
  HUMMINGBIRD_FLOOR="$(cd "$root" && swift build -c release --package-path "$floor_package" --show-bin-path)/hummingbird-floor"
fi

declare -A port pid_of
next_port=${PORT_BASE:-18080}
order=()
for server in $servers; do
  if [ "$server" = memallook ]; then
    for label in "${memallook_labels[@]}"; do order+=("$label"); done
  else
    order+=("$server")
  fi
done
for name in "${order[@]}"; do
  port[$name]=$next_port
  next_port=$((next_port + 1))
  if (exec 3<>"/dev/tcp/127.0.0.1/${port[$name]}") 2>/dev/null; then
    echo "compare.sh: port ${port[$name]} is taken (set PORT_BASE)" >&2
    exit 75
  fi
done

kind_of() {  # memallook, nginx, hummingbird, fastapi or flask
  case $1 in nginx | hummingbird | fastapi | flask) echo "$1" ;; *) echo memallook ;; esac
}

is_ceiling() {  # answers fixed replies, needs the SHOW body first and no reset
  case $(kind_of "$1") in nginx | hummingbird) return 0 ;; *) return 1 ;; esac
}

start() {
  local name=$1 p=${port[$1]}
  case $(kind_of "$name") in
    memallook) "${binary[$name]}" serve --port "$p" >"$work/$name.log" 2>&1 & ;;
    fastapi) python3 "$here/baseline_fastapi.py" "$p" >"$work/$name.log" 2>&1 & ;;
    flask) python3 "$here/baseline_flask.py" "$p" >"$work/$name.log" 2>&1 & ;;
    hummingbird) "$HUMMINGBIRD_FLOOR" "$p" "$work/show-body" >"$work/$name.log" 2>&1 & ;;
    nginx)
      mkdir -p "$work/nginx/static" "$work/nginx/tmp"
      cp "$work/show-body" "$work/nginx/static/show"
      chmod -R a+rX "$work/nginx"
      sed "s/127.0.0.1:8091/127.0.0.1:$p/" "$here/nginx.conf" >"$work/nginx/nginx.conf"
      nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/$name.log" 2>&1 &
      ;;
  esac
  started+=("$!")
  pid_of[$name]=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$p/" && return 0
    sleep 0.1
  done
  echo "compare.sh: $name did not start on port $p:" >&2
  cat "$work/$name.log" >&2
  exit 70
}

# The benchmark heap, from scratch: NEW p=16 N=64, ALLOC 16, ALLOC 32.
reset_heap() {
  local base="http://127.0.0.1:${port[$1]}"
  is_ceiling "$1" && return 0
  curl -sf -o /dev/null -X POST "$base/reset"
  curl -sf -o /dev/null -X POST "$base/new?p=16&N=64"
  curl -sf -o /dev/null -X POST "$base/alloc?M=16"
  curl -sf -o /dev/null -X POST "$base/alloc?M=32"
}

# CPU time (user + system, clock ticks) of a server and its children (nginx's worker).
cpu_ticks() {
  local total=0 p
  for p in $1 $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    [ -r /proc/"$p"/stat ] || continue
    total=$((total + $(awk '{print $14 + $15}' /proc/"$p"/stat)))
  done
  echo "$total"
}

# The body nginx serves: a real GET /show of the benchmark heap, from the first server
# that implements the service (memallook when it runs).
first_service=""
for name in "${order[@]}"; do
  is_ceiling "$name" && continue
  first_service=$name
  break
done
for name in "${order[@]}"; do
  is_ceiling "$name" && continue
  start "$name"
done
if [ -n "$first_service" ]; then
  reset_heap "$first_service"
  curl -sf "http://127.0.0.1:${port[$first_service]}/show" >"$work/show-body"
else
  printf '122.............\n................\n................\n................\n\n<Allocations by tag>\n1: 16 bytes\n2: 32 bytes\n' >"$work/show-body"
fi
for name in "${order[@]}"; do
  if is_ceiling "$name"; then start "$name"; fi
done
echo "SHOW body: $(wc -c <"$work/show-body") bytes; servers: ${order[*]}; $rounds rounds of $duration" >&2

tick=$(getconf CLK_TCK)
printf 'round\tworkload\tserver\treq_per_s\tp50_ms\tp99_ms\terrors\tcpu_us_per_req\tload1\n' >"$out/runs.tsv"
uptime | tee "$out/uptime-start" >&2
for round in $(seq "$rounds"); do
  for workload in show pairs; do
    for name in "${order[@]}"; do
      reset_heap "$name"
      base="http://127.0.0.1:${port[$name]}"
      if [ "$workload" = show ]; then
        args=("$base/show")
      else
        args=(-s "$here/alloc-dealloc.lua" "$base")
      fi
      before=$(cpu_ticks "${pid_of[$name]}")
      wrk -t2 -c16 -d"$duration" --latency "${args[@]}" >"$work/wrk.out" 2>&1
      after=$(cpu_ticks "${pid_of[$name]}")
      load=$(cut -d' ' -f1 /proc/loadavg)
      python3 - "$work/wrk.out" "$round" "$workload" "$name" "$((after - before))" "$tick" "$load" \
        >>"$out/runs.tsv" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
round_, workload, name, ticks, tick, load = sys.argv[2:8]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
cpu = int(ticks) / int(tick) * 1e6 / max(total, 1)
print(f"{round_}\t{workload}\t{name}\t{rps:.0f}\t{ms('50%'):.3f}\t{ms('99%'):.3f}\t{errors}\t{cpu:.1f}\t{load}")
EOF
      tail -n1 "$out/runs.tsv" >&2
    done
  done
done
uptime | tee "$out/uptime-end" >&2

python3 - "$out/runs.tsv" "${order[*]}" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
order = sys.argv[2].split()
kinds = {"nginx", "hummingbird", "fastapi", "flask"}
mine = [name for name in order if name not in kinds]
med = statistics.median
def cell(workload, server, field):
    values = [float(r[field]) for r in rows if r["workload"] == workload and r["server"] == server]
    return med(values) if values else None
print()
print("| server | workload | req/s (median) | p50 ms | p99 ms | server CPU µs/req | non-2xx + socket errors |")
print("|---|---|---:|---:|---:|---:|---:|")
for workload in ("show", "pairs"):
    for server in order:
        rps = cell(workload, server, "req_per_s")
        if rps is None:
            continue
        errors = sum(int(r["errors"]) for r in rows if r["workload"] == workload and r["server"] == server)
        print(f"| {server} | {workload} | {rps:,.0f} | {cell(workload, server, 'p50_ms'):.2f} | "
              f"{cell(workload, server, 'p99_ms'):.2f} | {cell(workload, server, 'cpu_us_per_req'):.0f} | {errors} |")
def ratios(workload, server, other, field):
    out = []
    for round_ in sorted({r["round"] for r in rows}, key=int):
        pick = lambda name: [float(r[field]) for r in rows
                             if r["round"] == round_ and r["workload"] == workload and r["server"] == name]
        a, b = pick(server), pick(other)
        if a and b and b[0] > 0:
            out.append(a[0] / b[0])
    return out
def show(values):
    return f"{med(values):.2f} ({min(values):.2f}–{max(values):.2f})" if values else "—"
if any(int(r["errors"]) for r in rows):
    print("\nWARNING: some runs had non-2xx responses or socket errors (see the last column)")
print()
print("Ratios per round, median (min–max):")
print()
print("| memallook | workload | req/s ÷ nginx | p99 ÷ nginx | req/s ÷ FastAPI | req/s ÷ Flask |")
print("|---|---|---:|---:|---:|---:|")
for server in mine:
    for workload in ("show", "pairs"):
        print(f"| {server} | {workload} | {show(ratios(workload, server, 'nginx', 'req_per_s'))} | "
              f"{show(ratios(workload, server, 'nginx', 'p99_ms'))} | "
              f"{show(ratios(workload, server, 'fastapi', 'req_per_s'))} | "
              f"{show(ratios(workload, server, 'flask', 'req_per_s'))} |")
if "hummingbird" in order:
    print()
    print("| server | workload | req/s ÷ nginx | req/s ÷ Hummingbird floor |")
    print("|---|---|---:|---:|")
    for server in ["hummingbird"] + mine:
        for workload in ("show", "pairs"):
            print(f"| {server} | {workload} | {show(ratios(workload, server, 'nginx', 'req_per_s'))} | "
                  f"{show(ratios(workload, server, 'hummingbird', 'req_per_s'))} |")
if len(mine) > 1:
    print()
    for server in mine[1:]:
        for workload in ("show", "pairs"):
            print(f"{server} ÷ {mine[0]}, {workload}: req/s {show(ratios(workload, server, mine[0], 'req_per_s'))}, "
                  f"p99 {show(ratios(workload, server, mine[0], 'p99_ms'))}")
EOF
echo >&2
echo "raw figures: $out/runs.tsv" >&2
