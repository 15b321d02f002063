// Manifest text for the builder's YAML / JSON tab: block-style YAML or indented JSON, plus
// the line each JSON Pointer starts on, so a finding can take the person to its line.

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
// Plain YAML scalars that read back as the same string.
const PLAIN_VALUE = /^[A-Za-z0-9_./@+~(][A-Za-z0-9 _./@+~()\-,:;'=!?$%^&<>]*$/;
const AMBIGUOUS = /^(true|false|yes|no|on|off|null|~|y|n|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i;

/** Appends one token to a JSON Pointer (RFC 6901). */
export function pointerJoin(pointer, token) {
  return `${pointer}/${String(token).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

function yamlScalar(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  const s = String(value);
  if (
    s === "" || s !== s.trim() || !PLAIN_VALUE.test(s) || AMBIGUOUS.test(s) ||
    s.includes(": ") || s.includes(" #") || s.endsWith(":")
  ) {
    return JSON.stringify(s);
  }
  return s;
}

function yamlKey(key) {
  return PLAIN_KEY.test(key) && !AMBIGUOUS.test(key) ? key : JSON.stringify(key);
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Block-style YAML. Returns `{ text, lines }`: `lines` maps pointers to 1-based lines. */
export function toYaml(value) {
  const out = [];
  const lines = new Map([["", 1]]);
  const emit = (node, indent, pointer) => {
    const pad = " ".repeat(indent);
    if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        const p = pointerJoin(pointer, k);
        lines.set(p, out.length + 1);
        if (isObject(v) && Object.keys(v).length) {
          out.push(`${pad}${yamlKey(k)}:`);
          emit(v, indent + 2, p);
        } else if (Array.isArray(v) && v.length) {
          out.push(`${pad}${yamlKey(k)}:`);
          emit(v, indent + 2, p);
        } else {
          out.push(`${pad}${yamlKey(k)}: ${inline(v)}`);
        }
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        const p = pointerJoin(pointer, i);
        lines.set(p, out.length + 1);
        if (isObject(item) && Object.keys(item).length) {
          // "- first: x" then the other keys aligned under it.
          const start = out.length;
          emit(item, indent + 2, p);
          out[start] = `${pad}- ${out[start].slice(indent + 2)}`;
        } else if (Array.isArray(item) && item.length) {
          out.push(`${pad}-`);
          emit(item, indent + 2, p);
        } else {
          out.push(`${pad}- ${inline(item)}`);
        }
      });
    }
  };
  emit(value, 0, "");
  return { text: out.join("\n") + "\n", lines };
}

function inline(v) {
  if (Array.isArray(v)) return "[]";
  if (isObject(v)) return "{}";
  return yamlScalar(v);
}

/** Indented JSON, with the same pointer → line map. */
export function toJson(value) {
  return { text: JSON.stringify(value, null, 2) + "\n", lines: exactJsonLines(value) };
}

/** Line numbers as JSON.stringify(value, null, 2) lays them out. */
function exactJsonLines(value) {
  const lines = new Map([["", 1]]);
  let line = 1; // the line of the current value's first character
  const walk = (node, pointer) => {
    const container = isObject(node) ? Object.entries(node) : Array.isArray(node) ? node.map((v, i) => [i, v]) : null;
    if (!container || container.length === 0) return; // scalar or {} / [] on one line
    for (const [k, v] of container) {
      line += 1;
      const p = pointerJoin(pointer, k);
      lines.set(p, line);
      walk(v, p);
    }
    line += 1; // closing bracket
  };
  walk(value, "");
  return lines;
}

/** The line of `pointer`, or of its closest ancestor that has one. */
export function lineOf(lines, pointer) {
  let p = pointer;
  for (;;) {
    if (lines.has(p)) return lines.get(p);
    const cut = p.lastIndexOf("/");
    if (cut < 0) return 1;
    p = p.slice(0, cut);
  }
}
