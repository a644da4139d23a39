// A small YAML writer for the export (block style; strings quoted as JSON when plain YAML could misread
// them). In the worker's JavaScript: serde_yaml's emitter would add 25 KB gzip to the page's wasm, and a
// Rust writer over serde_json::Value 4 KB.
const RESERVED = new Set(["true", "false", "null", "yes", "no", "on", "off", "~", "y", "n", ""]);

function plain(s) {
  return /^[A-Za-z_./][A-Za-z0-9 ._/\-()<>=,+]*$/.test(s) && !RESERVED.has(s.toLowerCase()) && !s.endsWith(" ")
    && !s.includes(": ") && !s.includes(" #") && Number.isNaN(Number(s));
}

const scalar = (v) => (typeof v === "string" ? (plain(v) ? v : JSON.stringify(v)) : JSON.stringify(v));
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const inline = (v) => (Array.isArray(v) ? "[]" : isObj(v) ? "{}" : scalar(v));
const nonEmpty = (v) => (Array.isArray(v) ? v.length > 0 : isObj(v) && Object.keys(v).length > 0);

function write(v, indent, out) {
  const pad = " ".repeat(indent);
  if (isObj(v) && nonEmpty(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (isObj(x) && nonEmpty(x)) { out.push(`${pad}${scalar(k)}:`); write(x, indent + 2, out); }
      else if (Array.isArray(x) && nonEmpty(x)) { out.push(`${pad}${scalar(k)}:`); write(x, indent, out); }
      else out.push(`${pad}${scalar(k)}: ${inline(x)}`);
    }
  } else if (Array.isArray(v) && nonEmpty(v)) {
    for (const x of v) {
      if (nonEmpty(x)) {
        const item = [];
        write(x, indent + 2, item);
        if (isObj(x)) {
          // The first key goes on the dash line.
          out.push(`${pad}- ${item[0].slice(indent + 2)}`, ...item.slice(1));
        } else out.push(`${pad}-`, ...item);
      } else out.push(`${pad}- ${inline(x)}`);
    }
  } else out.push(`${pad}${inline(v)}`);
}

/** YAML for a JSON value. */
export function toYaml(v) {
  const out = [];
  write(v, 0, out);
  return out.join("\n") + "\n";
}
