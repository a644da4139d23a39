// The field hover's model: which key of a YAML document is at an offset, and its path of mapping keys
// (sequences are transparent), for the descriptions of web/fields.json. Takes a CodeMirror Text (or anything
// with `lines`, `line(n)` and `lineAt(pos)`); no CodeMirror import, so node's test runner loads it as is
// (playground/tests/fieldpath.test.mjs).
//
// The document is read forward from its start (a `---` line or the stream's first line) to the pointer's
// line: block mappings by indentation (a sequence item's "- " indents its keys), flow mappings and sequences
// (`{a: 1, b: [x]}`, over several lines too) by their brackets, keys plain or quoted ("a": / 'a':), block
// scalars (`|`, `>`) and comments skipped. Not a YAML parser: anchors and tags before a value are skipped,
// complex keys (`? `), aliases as keys and multi-line quoted keys are not keys.
const SCAN = 20000; // lines looked at around the pointer (a fleet's document is short; its stream is not)

// A plain key at the start of a block line's content: up to the first ": " (or ":" at the end), no comment.
const BLOCK_KEY = /^([^\s#'"{}[\],&*!|>%@`-](?:[^:#]|:(?!\s|$)|(?<=\S)#)*?)\s*:(?=\s|$)/;
// A quoted scalar at the start: "..." with escapes, or '...' with '' for a quote.
const QUOTED = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/;
function unquote(q) {
  if (q[0] === "'") return q.slice(1, -1).replace(/''/g, "'");
  try {
    return JSON.parse(q);
  } catch {
    return q.slice(1, -1); // a YAML-only escape (\x41, \U0001F600): the names of fields.json have none
  }
}
// Anchors and tags before a value.
const PROPS = /^(?:[&!]\S*\s+)*/;

/** The key whose name covers `pos` (its first to its last character, quotes included): `{ from, to, path }`
 * with the path from the document's root, or null when `pos` is not on a key. */
export function keyAt(doc, pos) {
  const at = doc.lineAt(pos);
  // The document's start: after the nearest `---` above, else the stream's first line; a stream whose
  // document is longer than SCAN lines starts at the nearest root-level line (column 0, not a comment).
  let start = 0;
  let root = 0;
  for (let i = at.number, seen = 0; i >= 1; i--, seen++) {
    const text = doc.line(i).text;
    if (i < at.number && (text.startsWith("---") || text.startsWith("..."))) {
      start = i + 1;
      break;
    }
    if (i === 1) start = 1;
    else if (!root && /^[^\s#-]/.test(text)) root = i;
    if (seen >= SCAN) break;
  }
  if (at.text.startsWith("---") || at.text.startsWith("...")) return null;
  start ||= root;
  if (!start) return null;

  const block = []; // [{ indent, key }], indentation increasing
  const flow = []; // [{ key }]: the open flow collections, outermost first, each with its latest key
  let scalar = -1; // inside a block scalar: its owner's indentation

  for (let n = start; n <= at.number; n++) {
    const line = doc.line(n);
    const text = line.text;
    const here = n === at.number;
    // The key found at column `col` of this line, `len` characters: the hovered one, or recorded.
    const found = (col, len, name, path) => {
      if (here && pos >= line.from + col && pos <= line.from + col + len) return { from: line.from + col, to: line.from + col + len, path: [...path, name] };
      return null;
    };
    let i = 0;
    if (!flow.length) {
      const indent = /^ */.exec(text)[0].length;
      if (scalar >= 0) {
        if (indent > scalar || !text.trim()) continue;
        scalar = -1;
      }
      const content = /^ *(?:-(?: +|$))*/.exec(text)[0].length;
      const rest = text.slice(content);
      if (!rest.trim() || rest[0] === "#") continue;
      while (block.length && block[block.length - 1].indent >= content) block.pop();
      let owner = indent;
      const quoted = QUOTED.exec(rest);
      const m = quoted ? /^\s*:(?=\s|$)/.exec(rest.slice(quoted[0].length)) : BLOCK_KEY.exec(rest);
      i = content;
      if (m) {
        const len = quoted ? quoted[0].length : m[1].length;
        const name = quoted ? unquote(quoted[0]) : m[1];
        const hit = found(content, len, name, block.map((b) => b.key));
        if (hit) return hit;
        block.push({ indent: content, key: name });
        owner = content;
        i = content + (quoted ? quoted[0].length : 0) + m[0].length;
      }
      i += /^\s*/.exec(text.slice(i))[0].length;
      i += PROPS.exec(text.slice(i))[0].length;
      if (text[i] === "|" || text[i] === ">") {
        scalar = owner;
        continue;
      }
      if (text[i] !== "{" && text[i] !== "[") continue;
    }
    // Flow context, from column i: brackets open and close collections; a scalar followed by ":" is a key.
    const keys = () => [...block.map((b) => b.key), ...flow.slice(0, -1).map((f) => f.key).filter((k) => k !== null)];
    while (i < text.length && flow.length + (text[i] === "{" || text[i] === "[" ? 1 : 0) > 0) {
      const c = text[i];
      if (c === " " || c === "\t") i++;
      else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) break;
      else if (c === "{" || c === "[") {
        flow.push({ key: null });
        i++;
      } else if (c === "}" || c === "]") {
        flow.pop();
        i++;
      } else if (c === ",") {
        flow[flow.length - 1].key = null;
        i++;
      } else if (c === ":") i++; // a value after a key, or an empty key
      else {
        // A scalar: quoted, or plain up to a flow indicator, ": " or " #".
        const tail = text.slice(i);
        const quoted = QUOTED.exec(tail);
        let len;
        let name;
        if (quoted) [len, name] = [quoted[0].length, unquote(quoted[0])];
        else {
          const plain = /^(?:[^,[\]{}:#\s]|:(?![\s,[\]{}]|$)|(?<=\S)#|\s+(?=[^\s#,[\]{}:]|:(?![\s,[\]{}]|$)))+/.exec(tail);
          len = plain ? plain[0].length : 1;
          name = plain ? plain[0] : null;
        }
        const after = /^\s*/.exec(text.slice(i + len))[0].length;
        const colon = text[i + len + after] === ":" && (quoted || /^(?:[\s,[\]{}]|$)/.test(text.slice(i + len + after + 1)));
        if (colon && name !== null && !/^[&*!]/.test(name)) {
          const hit = found(i, len, name, keys());
          if (hit) return hit;
          flow[flow.length - 1].key = name;
        } else if (here && pos >= line.from + i && pos < line.from + i + len) return null;
        i += len + (colon ? after + 1 : 0);
      }
    }
  }
  return null;
}

/** The kind of the document around line `n` (its `kind:` at the start of a line), or null. */
export function kindAround(doc, n) {
  const kindOf = (text) => /^(["']?)kind\1\s*:\s*["']?([A-Za-z]+)/.exec(text)?.[2];
  for (let i = n, seen = 0; i >= 1 && seen < SCAN; i--, seen++) {
    const text = doc.line(i).text;
    if (i < n && text.startsWith("---")) break;
    const k = kindOf(text);
    if (k) return k;
  }
  for (let i = n + 1, seen = 0; i <= doc.lines && seen < SCAN; i++, seen++) {
    const text = doc.line(i).text;
    if (text.startsWith("---")) break;
    const k = kindOf(text);
    if (k) return k;
  }
  return null;
}

/** The key at `pos` with its document's kind: `{ from, to, kind, path }`, or null. */
export function fieldAt(doc, pos) {
  const key = keyAt(doc, pos);
  const kind = key && kindAround(doc, doc.lineAt(pos).number);
  return kind ? { ...key, kind } : null;
}

const isObject = (n) => n !== null && typeof n === "object" && !Array.isArray(n);
const itemsOf = (n) => (Array.isArray(n) && n[0] === "list" ? itemsOf(n[1]) : n);
const typeName = (n) => (typeof n === "string" ? n : Array.isArray(n) ? `${n[0]} of ${typeName(n[1])}` : "object");

/** The hover's text for a path of a kind, from the fields of web/fields.json, or null for an unknown field. */
export function describe(fields, kind, path) {
  let node = fields[kind.replace(/^Cluster(?=PropagationPolicy|OverridePolicy)/, "")];
  if (node === undefined) return null;
  let required = false;
  for (const key of path) {
    node = itemsOf(node);
    if (Array.isArray(node) && node[0] === "map") [node, required] = [node[1], false];
    else if (isObject(node) && Object.hasOwn(node, key)) [node, required] = [node[key], false];
    else if (isObject(node) && Object.hasOwn(node, "*" + key)) [node, required] = [node["*" + key], true];
    else return null;
  }
  let text = `${kind} ${path.join(".")}: ${typeName(node)}${required ? ", required" : ""}`;
  const o = itemsOf(node);
  if (isObject(o)) text += `\nfields: ${Object.keys(o).map((k) => (k[0] === "*" ? `${k.slice(1)} (required)` : k)).join(", ")}`;
  return text;
}
