// retention-wasm: how the core's results become JS values (imported by
// index.js): the key-case rule, and the one expansion of the core's tables.

// The key-case rule for results: the core's snake_case keys in camelCase.
// Results are the core's own structs (serde), passed through unchanged by
// the wasm side: instants are RFC 3339 UTC strings, ratios are fields.
const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

export function camelKeys(v) {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out = {};
  for (const key of Object.keys(v)) out[camel(key)] = camelKeys(v[key]);
  return out;
}

// Per-row results are the core's tables (retention_core::table), sent as
// { columns: [[name, data, how], …], …extras } (src/table.rs). One expansion:
// no `how`: `data` is the value; `how` a dictionary: `data` holds indices
// into it; `how` item counts (Uint32Array): `data` is every item of a column
// of text lists joined by U+001F. Names and extras get the key-case rule.
// Text lists (100,000s of strings) are built when first read, then kept as a
// plain property: enumeration, spread and JSON see them as usual.
export function table(out) {
  const { columns, ...extras } = out;
  const t = {};
  for (const [name, data, how] of columns) {
    if (how === undefined) t[camel(name)] = data;
    else if (Array.isArray(how)) t[camel(name)] = decode(data, how);
    else onFirstRead(t, camel(name), () => unpackLists(data, how));
  }
  return Object.assign(t, camelKeys(extras));
}

function onFirstRead(t, key, build) {
  const settle = (value) => Object.defineProperty(t, key, { value, enumerable: true, writable: true, configurable: true })[key];
  Object.defineProperty(t, key, { enumerable: true, configurable: true, get: () => settle(build()), set: settle });
}

// Plain loops: several times faster than Array.from with a mapper, or
// split-and-slice, on 100,000 rows.
function decode(codes, dictionary) {
  const out = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = dictionary[codes[i]];
  return out;
}

function unpackLists(packed, lengths) {
  const out = new Array(lengths.length);
  for (let i = 0, pos = 0; i < lengths.length; i++) {
    const row = (out[i] = new Array(lengths[i]));
    for (let j = 0; j < row.length; j++) {
      let end = packed.indexOf('\u001f', pos);
      if (end < 0) end = packed.length;
      row[j] = packed.slice(pos, end);
      pos = end + 1;
    }
  }
  return out;
}
