#!/usr/bin/env bash
# Installs wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (idempotent).
# `cargo install --locked` fails on the registry mirror (a webpki-roots release it lacks), so on
# failure the crate's lockfile is re-pinned to an available webpki-roots and installed from source.
set -euo pipefail
cd "$(dirname "$0")/.."
WBV=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WBV" ]; then
  exit 0
fi
echo "installing wasm-bindgen-cli $WBV (once, about two minutes)"
cargo install -q wasm-bindgen-cli --version "$WBV" --locked 2>/dev/null || {
  cargo fetch -q 2>/dev/null || true
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasm-bindgen-cli-"$WBV" 2>/dev/null | head -1 || true)
  if [ -z "$src" ]; then
    w=$(mktemp -d)
    (cd "$w" && cargo new -q fetcher && cd fetcher && cargo add -q "wasm-bindgen-cli@=$WBV" && cargo fetch -q)
    rm -rf "$w"
    src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasm-bindgen-cli-"$WBV" | head -1)
  fi
  w=$(mktemp -d); cp -r "$src" "$w/cli"
  (cd "$w/cli" && cargo update -q -p webpki-roots --precise 1.0.10 && cargo install -q --path . --locked)
  rm -rf "$w"
}
wasm-bindgen --version
