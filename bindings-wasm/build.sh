#!/usr/bin/env bash
# Builds the npm package into bindings-wasm/pkg, two wasm modules from the one
# retention-wasm crate, each: cargo (wasm32, profile wasm-release) →
# wasm-bindgen --target web → npm binaryen's wasm-opt:
# - the storefront module (default features) in pkg/, the package's main
#   entry, with the hand-written wrapper js/index.js, js/results.js and
#   js/index.d.ts;
# - the merchant-dashboard module (feature `dashboard`: every storefront
#   export plus the analytics of src/dashboard/) in pkg/dashboard/, entry
#   `retention-wasm/dashboard`, with js/dashboard/index.js (which imports and
#   extends the storefront wrapper) and js/dashboard/index.d.ts.
# The second build shares the target directory and profile with the first:
# only the retention-wasm crate and the final link are redone.
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli at the version of
# the wasm-bindgen crate, and `npm ci` done in bindings-wasm (for wasm-opt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
out="$here/pkg"
rm -rf "$out"

# build_module DIR [cargo arguments…]: one module into DIR.
build_module() {
  local dir="$1"
  shift
  # The .wasm path as cargo reports it (so CARGO_TARGET_DIR and a configured
  # target directory are honoured).
  local wasm
  wasm=$(cargo build -p retention-wasm --target wasm32-unknown-unknown --profile wasm-release \
    "$@" --message-format=json-render-diagnostics \
    | node -e '
      let found = "";
      require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
        const m = JSON.parse(line);
        if (m.reason === "compiler-artifact" && m.target.name === "retention_wasm") {
          found = m.filenames.find((f) => f.endsWith(".wasm")) || found;
        }
      }).on("close", () => { if (!found) process.exit(1); console.log(found); });')
  wasm-bindgen "$wasm" --target web --out-dir "$dir" --out-name retention_wasm
  # Debian's wasm-opt writes broken modules: use the npm binaryen one.
  "$here/node_modules/.bin/wasm-opt" -Oz --converge --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$dir/retention_wasm_bg.wasm" -o "$dir/retention_wasm_bg.opt.wasm"
  mv "$dir/retention_wasm_bg.opt.wasm" "$dir/retention_wasm_bg.wasm"
  local raw gz
  raw=$(stat -c %s "$dir/retention_wasm_bg.wasm")
  gz=$(gzip -9 -c "$dir/retention_wasm_bg.wasm" | wc -c)
  echo "${dir#"$here/"}/retention_wasm_bg.wasm: $raw bytes, $gz bytes gzipped"
}

build_module "$out"
cp "$here/js/index.js" "$here/js/results.js" "$here/js/index.d.ts" "$out/"
build_module "$out/dashboard" --features dashboard
cp "$here/js/dashboard/index.js" "$here/js/dashboard/index.d.ts" "$out/dashboard/"
