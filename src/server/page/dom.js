// DOM helpers and the text of values: elements built with textContent only (never HTML),
// lists of facts, numbers, elevation ranges and any JSON value as readable text.

import { state } from './state.js';

const nf = (digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const NF1 = nf(1);
export const NF2 = nf(2);

export const $ = (id) => document.getElementById(id);

/** An element with text content and attributes; children are nodes or strings (as text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export function facts(rows) {
  const dl = el('dl', { class: 'facts' });
  for (const [label, value, field] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(el('dt', { text: label }), el('dd', { 'data-field': field }, value));
  }
  return dl;
}

export const fmt = (n, f = NF1) => (typeof n === 'number' && Number.isFinite(n) ? f.format(n) : '—');
export const zText = (r) => (Array.isArray(r) && r.length === 2 ? `${fmt(r[0])} – ${fmt(r[1])} m` : '—');
export const datumText = () => state.register?.height_datum ?? '';

/** A readable text of any JSON value (for fields this page does not know by name). */
export function plain(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '是 yes' : '否 no';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : NF2.format(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(plain).join(', ');
  if (typeof v === 'object' && typeof v.name === 'string') return v.name;
  return Object.entries(v).map(([k, x]) => `${k}: ${plain(x)}`).join('; ');
}
