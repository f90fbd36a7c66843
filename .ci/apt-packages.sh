#!/usr/bin/env bash
# Debian packages the test suites need. Idempotent; skips apt when everything is present.
set -euo pipefail
packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need script bsdutils
need zsh zsh
need fish fish
need chromium chromium
# The notes example's PostgreSQL store tests; Debian keeps initdb off PATH, in /usr/lib/postgresql/<version>/bin.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || packages+=(postgresql)
if [ "${#packages[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
