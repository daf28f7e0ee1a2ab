#!/usr/bin/env bash
# Time the quick start's first command on a fresh virtual environment, without pip's cache:
# what a new user waits for. Usage: bash bench/setup_time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
CORROBORATE_DB="$work/demo.db" PIP_NO_CACHE_DIR=1 make demo VENV="$work/venv" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
end=$(date +%s.%N)
python3 -c 'import sys; print(f"make demo (fresh venv, no pip cache): {float(sys.argv[2]) - float(sys.argv[1]):.1f} s")' "$start" "$end"
