#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run lint, types, tests and the
# benchmark gate. Debian packages (chromium for browser tests, postgresql for the team archive) are
# installed when missing and when we can (root with apt-get); their tests skip with a reason otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v cc >/dev/null 2>&1 || need+=(gcc)  # builds the compiled modules (tests check they are built)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

python -m pip install -q --upgrade pip
python -m pip install -q -e '.[all]'

python -m ruff check src tests bench scripts
python -m mypy
python -m pytest -q "$@"
# the Python code the compiled modules stand in for (what runs where no C compiler built them)
BROADSHEET_PURE_PYTHON=1 python -m pytest -q tests/test_golden.py tests/test_html_parse.py tests/test_body_html.py tests/test_compiled.py tests/test_dedup.py \
  tests/test_model.py tests/test_text_trees.py tests/test_text_features.py
if [ -d ../shared/data ] || [ -n "${BROADSHEET_DATA:-}" ]; then
  python -m bench gate
else
  echo "bench gate skipped: development data (../shared/data) not on this machine"
fi
