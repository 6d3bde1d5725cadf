#!/usr/bin/env node
// check.js — checks scipix's converter against real renderers:
//   1. every emitted LaTeX string (styled and simplified) renders in KaTeX
//      with throwOnError;
//   2. every emitted MathML is well-formed XML and accepted by MathJax's
//      MathML input (no error node);
//   3. scipix's MathML agrees with MathJax's own TeX→MathML of the same
//      formula after canonicalization (lib.js) in at least --min-agree % of
//      the formulas; the disagreements go to the report file.
// usage: node check.js --scipix BIN --gold gold.tsv [--limit N] [--report FILE]
//                      [--min-agree 95]
// Exit status 0 when all bars hold, 1 otherwise.
'use strict';
const fs = require('fs');
const {spawnSync} = require('child_process');
const katex = require('katex');
const lib = require('./lib.js');

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
const bin = arg('--scipix');
const gold = arg('--gold');
const limit = parseInt(arg('--limit', '0'), 10);
const reportFile = arg('--report', 'convert-check-report.txt');
const minAgree = parseFloat(arg('--min-agree', '95'));
if (!bin || !gold) {
  console.error('usage: node check.js --scipix BIN --gold gold.tsv [--limit N] [--report FILE]');
  process.exit(2);
}

let lines = fs.readFileSync(gold, 'utf8').split('\n').filter((l) => l.length);
if (limit > 0) {
  // an even spread over the file, not just its start
  const step = lines.length / limit;
  const pick = [];
  for (let i = 0; i < limit && Math.floor(i * step) < lines.length; i++) pick.push(lines[Math.floor(i * step)]);
  lines = pick;
}
const input = lines.join('\n') + '\n';
function run(fmt) {
  const r = spawnSync(bin, ['convert', '--tsv', '-q', '--to', fmt, '--display'], {input, maxBuffer: 1 << 30});
  if (r.error) throw r.error;
  const out = r.stdout.toString('utf8').split('\n');
  const m = new Map();
  for (const l of out) {
    const t = l.indexOf('\t');
    if (t >= 0) m.set(l.slice(0, t), l.slice(t + 1));
  }
  return m;
}
const styled = run('latex');
const simple = run('latex-simplified');
const mml = run('mathml');

const report = [];
let n = 0, parsed = 0, katexFail = 0, wfFail = 0, mjFail = 0, agree = 0, compared = 0, mjTexFallback = 0;
for (const line of lines) {
  const tab = line.indexOf('\t');
  const id = line.slice(0, tab), src = line.slice(tab + 1);
  n++;
  const st = styled.get(id), si = simple.get(id), mm = mml.get(id);
  if (!st || !mm) continue; // a parse failure: listed by `scipix convert --report`
  parsed++;
  for (const [kind, tex] of [['styled', st], ['simplified', si]]) {
    try {
      katex.renderToString(tex, {throwOnError: true, displayMode: true, strict: 'ignore'});
    } catch (e) {
      katexFail++;
      report.push(`KATEX\t${id}\t${kind}\t${e.message.split('\n')[0]}\t${tex}`);
    }
  }
  const wf = lib.wellFormed(mm);
  if (!wf.ok) {
    wfFail++;
    report.push(`XML\t${id}\t${wf.error}\t${mm}`);
    continue;
  }
  const acc = lib.mathmlAccepted(mm);
  if (!acc.ok) {
    mjFail++;
    report.push(`MATHJAX\t${id}\t${acc.error}\t${mm}`);
  }
  // agreement with MathJax's own conversion of the gold LaTeX; when MathJax
  // cannot read the gold (a macro it lacks), of our styled LaTeX instead
  let ref = lib.texToMathML(src);
  if (!ref.ok) {
    const ref2 = lib.texToMathML(st);
    if (ref2.ok) {
      mjTexFallback++;
      ref = ref2;
    }
  }
  if (!ref.ok) {
    report.push(`MJTEX\t${id}\tMathJax cannot convert: ${ref.error}\t${src}`);
    compared++;
    continue;
  }
  compared++;
  const a = lib.canonical(mm), b = lib.canonical(ref.mml);
  if (a !== null && a === b) agree++;
  else report.push(`DIFF\t${id}\t${src}\n  scipix : ${a}\n  mathjax: ${b}`);
}
const pct = compared ? (100 * agree) / compared : 0;
const summary = [
  `formulas: ${n} (parsed by scipix: ${parsed})`,
  `KaTeX (throwOnError) rejected: ${katexFail} of ${2 * parsed} emitted LaTeX strings (styled + simplified)`,
  `MathML not well-formed: ${wfFail}; rejected by MathJax MathML input: ${mjFail}`,
  `MathJax agreement: ${agree} of ${compared} (${pct.toFixed(2)}%)` +
    (mjTexFallback ? `; ${mjTexFallback} compared on scipix's LaTeX because MathJax lacks a gold macro` : ''),
];
fs.writeFileSync(reportFile, summary.join('\n') + '\n\n' + report.join('\n') + '\n');
console.log(summary.join('\n'));
console.log(`report: ${reportFile}`);
const ok = katexFail === 0 && wfFail === 0 && mjFail === 0 && pct >= minAgree && parsed > 0;
if (!ok) console.log('FAILED: a bar was not met');
process.exit(ok ? 0 : 1);
