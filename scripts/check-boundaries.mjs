#!/usr/bin/env node
// Module boundaries (STYLE.md): a module is used from outside only through its index.ts, and
// modules do not import each other in a cycle. Prints every violation and exits 1 if any.
import fs from 'node:fs';
import path from 'node:path';

const modulesRoot = path.resolve('server/src/modules');
const problems = [];
const graph = new Map();

function walk(directory) {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.ts')) yieldFile(full);
  }
}

function moduleOf(file) {
  const relative = path.relative(modulesRoot, file);
  if (relative.startsWith('..') || !relative.includes(path.sep)) return null;
  return relative.split(path.sep)[0];
}

function yieldFile(file) {
  const source = fs.readFileSync(file, 'utf8');
  const from = moduleOf(file);
  for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), match[1]).replace(/\.js$/, '.ts');
    const to = moduleOf(target);
    if (!to || to === from) continue;
    if (path.basename(target) !== 'index.ts' || path.dirname(target) !== path.join(modulesRoot, to)) {
      problems.push(`${path.relative('.', file)} imports ${match[1]}: use modules/${to}/index.ts instead`);
    }
    if (from) {
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from).add(to);
    }
  }
}

walk(path.resolve('server/src'));

const state = new Map();
function visit(node, trail) {
  if (state.get(node) === 'done') return;
  if (state.get(node) === 'visiting') {
    problems.push(`import cycle between modules: ${[...trail.slice(trail.indexOf(node)), node].join(' → ')}`);
    return;
  }
  state.set(node, 'visiting');
  for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
  state.set(node, 'done');
}
for (const node of graph.keys()) visit(node, []);

if (problems.length > 0) {
  console.error(`Module boundary violations:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Module boundaries OK (${graph.size} modules).`);
