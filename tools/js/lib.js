// lib.js — shared helpers for the scipix converter checks and bench:
// MathJax set up for TeX→MathML and MathML→internal tree (no output jax:
// we only need its parsers), and a canonical form of a MathML tree used to
// compare scipix's MathML with MathJax's own.
//
// Canonicalization (both sides get exactly the same treatment):
//  - mrow/mstyle/math and TeX-atom wrappers are flattened into their parent;
//    a one-child row in a fixed-arity slot (mfrac, msub …) is its child;
//  - mi/mn/mo are one kind of token; their text is split into characters
//    (MathJax writes <mi>diag</mi>, scipix may write four tokens), with
//    U+2061..2064 (invisible operators) dropped and ″ ‴ spelled as primes;
//  - mspace and whitespace-only mtext are dropped (spacing is not structure);
//  - of the attributes only mathvariant (other than normal/italic) and
//    mfrac's zero linethickness are kept.
'use strict';
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {MathML} = require('mathjax-full/js/input/mathml.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');
const {AllPackages} = require('mathjax-full/js/input/tex/AllPackages.js');
const {SerializedMmlVisitor} = require('mathjax-full/js/core/MmlTree/SerializedMmlVisitor.js');
const {STATE} = require('mathjax-full/js/core/MathItem.js');
const {DOMParser} = require('@xmldom/xmldom');

let ctx = null;
function mj() {
  if (ctx) return ctx;
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const tex = new TeX({packages: AllPackages.filter((p) => p !== 'bussproofs')});
  const texDoc = mathjax.document('', {InputJax: tex});
  const mml = new MathML();
  const mmlDoc = mathjax.document('', {InputJax: mml});
  ctx = {texDoc, mmlDoc, visitor: new SerializedMmlVisitor()};
  return ctx;
}

function hasError(node) {
  let bad = false;
  node.walkTree((n) => {
    if (n.isKind('merror') || (n.attributes && n.attributes.get('data-mjx-error'))) bad = true;
  });
  return bad;
}

// TeX → MathML string; {ok, mml, error}
function texToMathML(tex) {
  const {texDoc, visitor} = mj();
  try {
    const node = texDoc.convert(tex, {display: true, end: STATE.CONVERT});
    if (hasError(node)) {
      let msg = 'merror';
      node.walkTree((n) => { if (n.isKind('merror')) msg = n.attributes.get('data-mjx-error') || msg; });
      return {ok: false, error: String(msg)};
    }
    const mml = visitor.visitTree(node);
    // MathJax's noundefined package shows an unknown macro as red text
    // instead of failing: that is MathJax not reading the formula
    const undef = /<mtext mathcolor="red">(\\[^<]*)<\/mtext>/.exec(mml);
    if (undef) return {ok: false, error: 'undefined macro ' + undef[1]};
    return {ok: true, mml};
  } catch (e) {
    return {ok: false, error: e.message};
  }
}

// Our MathML into MathJax's MathML input: accepted when it neither throws
// nor produces an error node.
function mathmlAccepted(mml) {
  const {mmlDoc} = mj();
  try {
    const node = mmlDoc.convert(mml, {display: true, end: STATE.CONVERT});
    if (hasError(node)) return {ok: false, error: 'merror in MathJax tree'};
    return {ok: true};
  } catch (e) {
    return {ok: false, error: e.message};
  }
}

// Strict XML well-formedness.
function wellFormed(xml) {
  const errors = [];
  const parser = new DOMParser({
    onError: (level, msg) => { if (level !== 'warning') errors.push(msg); },
  });
  let doc;
  try {
    doc = parser.parseFromString(xml, 'text/xml');
  } catch (e) {
    return {ok: false, error: e.message};
  }
  if (errors.length || !doc || !doc.documentElement || doc.documentElement.localName !== 'math')
    return {ok: false, error: errors.join('; ') || 'no <math> root'};
  return {ok: true, doc};
}

const FLAT = new Set(['math', 'mrow', 'mstyle', 'semantics', 'mtd_inner']);
const TOKENS = new Set(['mi', 'mn', 'mo']);
const KEEPVAR = new Set(['bold', 'bold-italic', 'script', 'double-struck', 'fraktur', 'sans-serif', 'monospace',
  'bold-script', 'bold-fraktur', 'sans-serif-bold-italic', 'bold-sans-serif', 'sans-serif-italic']);

function normText(s) {
  return s.replace(/[\u2061-\u2064]/g, '').replace(/\u2033/g, '\u2032\u2032').replace(/\u2034/g, '\u2032\u2032\u2032')
    .replace(/\u2225/g, '\u2016').replace(/\u00a0/g, ' ');
}

// → array of canonical strings for a node (rows flatten into their parent)
function canonList(el, inheritedVar) {
  if (el.nodeType !== 1) return [];
  const name = el.localName;
  let v = el.getAttribute && el.getAttribute('mathvariant');
  if (!v) v = inheritedVar || '';
  const kids = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) kids.push(c);
  const varTag = KEEPVAR.has(v) ? '@' + v : '';
  if (TOKENS.has(name)) {
    const t = normText(el.textContent || '').replace(/\s+/g, '');
    // a font matters on letters and digits, not on operators (∇, ′)
    return Array.from(t).map((ch) => ch + (/[\p{L}\p{N}]/u.test(ch) ? varTag : ''));
  }
  if (name === 'mtext') {
    const t = normText(el.textContent || '').replace(/\s+/g, ' ').trim();
    return t ? ['"' + t + '"' + varTag] : [];
  }
  if (name === 'mspace' || name === 'none' || name === 'mprescripts' || name === 'annotation') return [];
  const mstyleVar = name === 'mstyle' ? (el.getAttribute('mathvariant') || inheritedVar) : inheritedVar;
  if (FLAT.has(name)) {
    let out = [];
    for (const k of kids) out = out.concat(canonList(k, mstyleVar));
    return out;
  }
  const single = (k) => {
    const l = k ? canonList(k, inheritedVar) : [];
    return l.length === 1 ? l[0] : '[' + l.join(' ') + ']';
  };
  if (name === 'mfrac') {
    const lt = el.getAttribute('linethickness');
    const zero = lt !== null && lt !== '' && parseFloat(lt) === 0;
    return [(zero ? 'atop(' : 'frac(') + single(kids[0]) + ',' + single(kids[1]) + ')'];
  }
  if (['msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mroot'].includes(name))
    return [name + '(' + kids.map(single).join(',') + ')'];
  if (name === 'mtable') {
    const rows = kids.map((tr) => {
      const cells = [];
      for (let c = tr.firstChild; c; c = c.nextSibling) {
        if (c.nodeType !== 1) continue;
        let l = [];
        for (let k = c.firstChild; k; k = k.nextSibling) l = l.concat(canonList(k, inheritedVar));
        cells.push(l.join(' '));
      }
      return '{' + cells.join('&') + '}';
    });
    return ['table(' + rows.join('') + ')'];
  }
  // msqrt, mphantom, mpadded, menclose, …: a wrapper with an inferred row
  let inner = [];
  for (const k of kids) inner = inner.concat(canonList(k, inheritedVar));
  return [name + '(' + inner.join(' ') + ')'];
}

function canonical(xml) {
  const wf = wellFormed(xml);
  if (!wf.ok) return null;
  return canonList(wf.doc.documentElement, '').join(' ');
}

module.exports = {texToMathML, mathmlAccepted, wellFormed, canonical, mj};
