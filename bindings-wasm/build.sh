#!/usr/bin/env bash
# Builds the npm package into bindings-wasm/pkg: cargo (wasm32, profile
# wasm-release) → wasm-bindgen --target web → npm binaryen's wasm-opt → the
# hand-written wrapper (js/index.js, js/results.js, js/index.d.ts).
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli at the version of
# the wasm-bindgen crate, and `npm ci` done in bindings-wasm (for wasm-opt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
# The .wasm path as cargo reports it (so CARGO_TARGET_DIR and a configured
# target directory are honoured).
wasm=$(cargo build -p retention-wasm --target wasm32-unknown-unknown --profile wasm-release \
  --message-format=json-render-diagnostics \
  | node -e '
    let found = "";
    require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
      const m = JSON.parse(line);
      if (m.reason === "compiler-artifact" && m.target.name === "retention_wasm") {
        found = m.filenames.find((f) => f.endsWith(".wasm")) || found;
      }
    }).on("close", () => { if (!found) process.exit(1); console.log(found); });')
out="$here/pkg"
rm -rf "$out"
wasm-bindgen "$wasm" --target web --out-dir "$out" --out-name retention_wasm
# Debian's wasm-opt writes broken modules: use the npm binaryen one.
"$here/node_modules/.bin/wasm-opt" -Oz --converge --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/retention_wasm_bg.wasm" -o "$out/retention_wasm_bg.opt.wasm"
mv "$out/retention_wasm_bg.opt.wasm" "$out/retention_wasm_bg.wasm"
cp "$here/js/index.js" "$here/js/results.js" "$here/js/index.d.ts" "$out/"
raw=$(stat -c %s "$out/retention_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/retention_wasm_bg.wasm" | wc -c)
echo "retention_wasm_bg.wasm: $raw bytes, $gz bytes gzipped"
