#!/usr/bin/env node
// bench.js — the Node side of `make bench-convert`: converts every formula
// of a gold TSV file from LaTeX to MathML with MathJax (mathjax-full, TeX
// input, serialized MathML) and with Temml, and prints one line per engine:
//   <engine> <formulas> <seconds> <formulas-per-second>
// Formulas an engine rejects are still timed (the attempt is the work).
'use strict';
const fs = require('fs');
const temml = require('temml');
const lib = require('./lib.js');

const file = process.argv[2];
const which = (process.argv[3] || 'mathjax,temml').split(',');
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length).map((l) => l.slice(l.indexOf('\t') + 1));

function time(name, fn) {
  for (let i = 0; i < Math.min(200, lines.length); i++) fn(lines[i]); // warm the JIT
  const t0 = process.hrtime.bigint();
  for (const l of lines) fn(l);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name} ${lines.length} ${s.toFixed(3)} ${(lines.length / s).toFixed(1)}`);
}
if (which.includes('mathjax')) time('mathjax', (l) => lib.texToMathML(l));
if (which.includes('temml'))
  time('temml', (l) => { try { temml.renderToString(l, {displayMode: true, throwOnError: false}); } catch (e) { /* timed anyway */ } });
