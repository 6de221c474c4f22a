#!/usr/bin/env node
// Prints the crate's import graph from its `crate::` and `super::` paths
// (test modules excluded) and fails when files or top-level folders import
// each other in a cycle.
//
//   node scripts/imports.mjs            summary, folder graph and cycles
//   node scripts/imports.mjs --files    also every file-to-file edge
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../src/", import.meta.url).pathname;
const showFiles = process.argv.includes("--files");

function rustFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return rustFiles(path);
    return name.endsWith(".rs") ? [path] : [];
  });
}

// src/a/b.rs -> "a::b"; src/a/mod.rs -> "a"; src/lib.rs -> "".
function modulePath(file) {
  const parts = relative(root, file).replace(/\.rs$/, "").split("/");
  if (parts.at(-1) === "mod" || parts.at(-1) === "lib" || parts.at(-1) === "main") parts.pop();
  return parts.join("::");
}

// Code outside `#[cfg(test)]` modules: tests may reach anywhere.
function productionCode(text) {
  const cut = text.search(/^\s*#\[cfg\([^\]]*\btest\b[^\]]*\)\]\s*\n\s*mod /m);
  const code = cut === -1 ? text : text.slice(0, cut);
  return code.replace(/\/\/.*$/gm, "");
}

// Expands `a::{b, c::{d, e}}` into ["a::b", "a::c::d", "a::c::e"].
function expand(path) {
  const open = path.indexOf("{");
  if (open === -1) return [path.trim()];
  let depth = 0;
  let close = open;
  for (; close < path.length; close++) {
    if (path[close] === "{") depth++;
    if (path[close] === "}" && --depth === 0) break;
  }
  const head = path.slice(0, open);
  const items = [];
  let start = open + 1;
  depth = 0;
  for (let i = open + 1; i < close; i++) {
    if (path[i] === "{") depth++;
    if (path[i] === "}") depth--;
    if (path[i] === "," && depth === 0) {
      items.push(path.slice(start, i));
      start = i + 1;
    }
  }
  items.push(path.slice(start, close));
  return items.filter((s) => s.trim()).flatMap((item) => expand(head + item.trim()));
}

// A `tests.rs` is a test module in a file of its own: tests may reach anywhere.
const files = rustFiles(root).filter((f) => !f.endsWith("main.rs") && !f.endsWith("/tests.rs"));
const modules = new Map(files.map((f) => [modulePath(f), f]));

// Names a folder's mod.rs re-exports, so `crate::data::SpacesTable` counts
// as an import of the file that defines it.
const reexports = new Map();
for (const [mod, file] of modules) {
  if (!file.endsWith("mod.rs") && !file.endsWith("lib.rs")) continue;
  const map = new Map();
  for (const m of productionCode(readFileSync(file, "utf8")).matchAll(/pub use ([^;]+);/g)) {
    for (const path of expand(m[1].replace(/\s+/g, " "))) {
      const segments = path.replace(/^self::/, "").split("::").map((s) => s.trim());
      const name = segments.at(-1).split(" as ").at(-1).trim();
      map.set(name, mod ? `${mod}::${segments[0]}` : segments[0]);
    }
  }
  reexports.set(mod, map);
}

function resolve(absolute) {
  const segments = absolute.split("::").filter(Boolean);
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join("::");
    if (!modules.has(candidate)) continue;
    const next = segments[n];
    const target = reexports.get(candidate)?.get(next);
    if (target && modules.has(target)) return target;
    return candidate;
  }
  return null;
}

const edges = new Map();
for (const [mod, file] of modules) {
  const code = productionCode(readFileSync(file, "utf8"));
  const isFolder = file.endsWith("mod.rs");
  const parent = isFolder ? mod : mod.split("::").slice(0, -1).join("::");
  const found = new Set();
  const paths = [
    ...[...code.matchAll(/use\s+((?:crate|super|self)::[^;]+);/g)].flatMap((m) =>
      expand(m[1].replace(/\s+/g, " ")),
    ),
    ...[...code.matchAll(/(?<![\w:])((?:crate|super)(?:::\w+)+)/g)].map((m) => m[1]),
  ];
  for (const path of paths) {
    let absolute = path;
    if (path.startsWith("super::")) {
      const base = isFolder ? mod.split("::").slice(0, -1).join("::") : parent;
      absolute = (base ? base + "::" : "") + path.slice("super::".length);
    } else if (path.startsWith("self::")) {
      absolute = (mod ? mod + "::" : "") + path.slice("self::".length);
    } else {
      absolute = path.slice("crate::".length);
    }
    const target = resolve(absolute);
    if (target !== null && target !== mod) found.add(target);
  }
  // A folder's mod.rs declaring its children is structure, not an import.
  edges.set(
    mod,
    [...found].filter((t) => !(isFolder || mod === "") || !t.startsWith(mod ? mod + "::" : "")),
  );
}

const top = (mod) => mod.split("::")[0] || "lib";

function cycles(graph) {
  // Tarjan's strongly connected components; any component of 2+ is a cycle.
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!info.has(v)) visit(v);
  return found;
}

const folderGraph = new Map();
for (const [from, targets] of edges) {
  const f = top(from);
  if (!folderGraph.has(f)) folderGraph.set(f, new Set());
  for (const t of targets) if (top(t) !== f) folderGraph.get(f).add(top(t));
}

const rootModules = [...modules.keys()].filter((m) => m && !m.includes("::"));
console.log(`files: ${modules.size}, root modules: ${rootModules.length}`);
console.log(`root: ${rootModules.sort().join(", ")}`);
console.log("\nfolder imports:");
for (const [f, targets] of [...folderGraph].sort()) {
  console.log(`  ${f} -> ${[...targets].sort().join(", ") || "(none)"}`);
}
if (showFiles) {
  console.log("\nfile imports:");
  for (const [from, targets] of [...edges].sort()) {
    if (targets.length) console.log(`  ${from || "lib"} -> ${targets.sort().join(", ")}`);
  }
}
const fileCycles = cycles(new Map([...edges].map(([k, v]) => [k, v])));
const folderCycles = cycles(new Map([...folderGraph].map(([k, v]) => [k, [...v]])));
console.log(`\nfile cycles: ${fileCycles.length}`);
for (const c of fileCycles) console.log(`  ${c.join(" <-> ")}`);
console.log(`folder cycles: ${folderCycles.length}`);
for (const c of folderCycles) console.log(`  ${c.join(" <-> ")}`);
process.exit(fileCycles.length + folderCycles.length ? 1 : 0);
