#!/usr/bin/env bash
# The whole test suite, from a fresh clone: Rust unit and integration tests on
# the real embedded engine, then the Python suites with the official
# qdrant-client (installed here into target/pyenv, never by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo build"
cargo build --all-targets

echo "== cargo test"
cargo test --all-targets

target="${CARGO_TARGET_DIR:-$PWD/target}"

echo "== python: qdrant-client from PyPI"
if [ ! -x "$target/pyenv/bin/python" ]; then
  python3 -m venv "$target/pyenv"
fi
"$target/pyenv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt

echo "== pytest"
TEST_RAGWALL_BIN="$target/debug/ragwall" "$target/pyenv/bin/python" -m pytest -q tests/python
