#!/usr/bin/env bash
# Builds the web app into frontend/dist/, which `mes` embeds and serves (see frontend/README.md).
#
#   frontend/build.sh            # from anywhere; respects CARGO_TARGET_DIR
#   MES_WASM_OPT=/path/to/wasm-opt frontend/build.sh   # optionally shrink the .wasm further
#
# On a fresh machine it first installs what it needs: the wasm32 target (rustup) and
# wasm-bindgen-cli at exactly the version Cargo.lock pins for the `wasm-bindgen` crate.
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

# Resolve a relative CARGO_TARGET_DIR against the caller's directory, as cargo would.
target_dir="${CARGO_TARGET_DIR:-$root/target}"
if [[ "$target_dir" != /* ]]; then
  target_dir="$PWD/$target_dir"
fi
export CARGO_TARGET_DIR="$target_dir"

if ! command -v rustup >/dev/null; then
  echo "build.sh: rustup is needed to add the wasm32-unknown-unknown target" >&2
  exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the crate exactly, or the generated JS does not fit the module.
if [[ -f "$root/Cargo.lock" ]]; then
  locked="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
  if [[ -n "$locked" && "$locked" != "$WASM_BINDGEN_VERSION" ]]; then
    echo "build.sh: Cargo.lock has wasm-bindgen $locked but this script installs $WASM_BINDGEN_VERSION;" >&2
    echo "          keep frontend/Cargo.toml's \"=$WASM_BINDGEN_VERSION\" pin and this script in step." >&2
    exit 1
  fi
fi
installed="$(wasm-bindgen --version 2>/dev/null || true)"
if [[ "$installed" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  echo "==> Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes once)"
  # Not --locked: its lock file wants a crate version some registry mirrors lack.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

echo "==> Building mes-frontend (wasm-release)"
(cd "$root" && cargo build --profile wasm-release --target wasm32-unknown-unknown -p mes-frontend)
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/mes-frontend.wasm"

# Assemble in a scratch folder next to dist/, then swap it in, so a failed build never leaves
# a half-written dist/ for the backend to embed.
stage="$(mktemp -d "$here/.dist-build.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/assets"

echo "==> Generating JS bindings"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$stage/assets" --out-name mes-frontend "$wasm"

if [[ -n "${MES_WASM_OPT:-}" ]]; then
  # Use binaryen 116 or newer (npm `binaryen@132` works). Debian's binaryen 108 produces a
  # module that fails in the browser.
  echo "==> Optimising with $MES_WASM_OPT"
  "$MES_WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals \
    "$stage/assets/mes-frontend_bg.wasm" -o "$stage/assets/mes-frontend_bg.wasm"
fi

cp "$root/assets/styles/mes.css" "$stage/assets/mes.css"
cp "$root/assets/icons/favicon.svg" "$stage/assets/favicon.svg"

# A content hash in the asset URLs: after an upgrade, browsers fetch the new files even if
# they cached the old ones; index.html itself must be served with `Cache-Control: no-cache`.
build_id="$(cat "$stage"/assets/* "$here/index.html" "$here/boot.js" "$here/sw.js" "$here/manifest.webmanifest" | sha256sum | cut -c1-12)"
sed "s/__BUILD__/$build_id/g" "$here/index.html" >"$stage/index.html"
sed "s/__BUILD__/$build_id/g" "$here/boot.js" >"$stage/assets/boot.js"
# The service worker's scope is its folder: it sits at the root to cover every page.
sed "s/__BUILD__/$build_id/g" "$here/sw.js" >"$stage/sw.js"
cp "$here/manifest.webmanifest" "$stage/manifest.webmanifest"

rm -rf "$here/dist"
mv "$stage" "$here/dist"
trap - EXIT

wasm_out="$here/dist/assets/mes-frontend_bg.wasm"
wasm_bytes="$(wc -c <"$wasm_out")"
wasm_gzip="$(gzip -9 -c "$wasm_out" | wc -c)"
echo "==> frontend/dist ready (build $build_id)"
echo "    mes-frontend_bg.wasm: $((wasm_bytes / 1024)) KiB ($((wasm_gzip / 1024)) KiB gzipped)"
(cd "$here/dist" && find . -type f | sort | sed 's/^\.\//    /')
