# Sourced by ./run, ./test and .ci/run: makes sure the system packages memallook needs are here.
# Installs them when it can (root with apt-get), else stops with the exact line to run.

memallook_require() {
  local missing=()
  [ -e /usr/include/ncursesw/curses.h ] || [ -e /usr/include/ncurses.h ] || missing+=(libncurses-dev)
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "memallook: installing ${missing[*]}" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "memallook: missing ${missing[*]}; install with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

# SwiftPM passes -color-diagnostics to the compiler only when its output is a terminal,
# and a changed flag rebuilds everything (swift-package-manager#8253): always run it
# through a pipe, so `./run` and `./test` never rebuild what did not change.
memallook_swift() {
  swift "$@" 2>&1 | cat
}
