#!/usr/bin/env bash
# Fuzzes the command language and the stored-session loader with libFuzzer
# (it ships with the Swift toolchain on Linux): each fuzzer is built with
# `swiftc -sanitize=fuzzer` from Fuzz/ and the sources of MemallookCore (with the
# header of its prefetch hint, CPrefetch), then
# runs for a bounded time from the seed corpus in Fuzz/corpus. A trap, a crash
# or a broken invariant fails the run and leaves the input in .build/fuzz/.
# Usage: scripts/fuzz-core.sh [SECONDS per fuzzer, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
out=.build/fuzz
mkdir -p "$out"
core=(Sources/MemallookCore/*.swift)
for name in Command State; do
  binary="$out/${name}Fuzzer"
  # Rebuild only when a source changed.
  if [ ! -x "$binary" ] || [ -n "$(find Fuzz/${name}Fuzzer.swift "${core[@]}" -newer "$binary" 2>/dev/null)" ]; then
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name Fuzz -I Sources/CPrefetch/include \
      "Fuzz/${name}Fuzzer.swift" "${core[@]}" -o "$binary" 2>&1 | { grep -v "Cannot export local symbol" || true; }
  fi
  corpus="$out/corpus-$name"
  mkdir -p "$corpus"
  seed="Fuzz/corpus/$( [ "$name" = Command ] && echo commands || echo state )"
  log="$out/$name.log"
  if ! (cd "$out" && "./${name}Fuzzer" -max_total_time="$seconds" -max_len=4096 "corpus-$name" "../../$seed") >"$log" 2>&1
  then
    tail -n 40 "$log" >&2
    echo "fuzz-core: the $name fuzzer found a failure; the input is in $out (crash-*)" >&2
    exit 1
  fi
  echo "fuzz-core: $name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log")"
done
echo "fuzz-core: no trap, no broken invariant"
