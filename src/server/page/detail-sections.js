// The parts of a unit's register page: supply, rights, mortgages and seizures, certificates,
// the six directions (六至) declared and computed, and the history of its acts.

import { $, el, facts, fmt, zText, datumText, plain, NF1, NF2 } from './dom.js';
import { holderName } from './parties.js';

const DIRECTIONS = [
  ['up', '上至 Up'], ['down', '下至 Down'], ['east', '东至 East'],
  ['west', '西至 West'], ['south', '南至 South'], ['north', '北至 North'],
];

/** A titled part of the page. */
export function section(title, ...children) {
  return el('section', { class: 'detail-section' }, el('h3', { text: title }), ...children);
}

const RIGHT_FIELDS = [
  ['right_type', '权利类型 Right'], ['nature', '权利性质 Nature'], ['certificate', '证书号 Certificate'],
];

/** Elevation bounds {lower, upper} as text. */
const boundsText = (b) => (b && typeof b === 'object' && 'lower' in b ? `${zText([b.lower, b.upper])} ${datumText()}` : null);

/** A term {begin, end} (dates) as text; null when empty. */
function termText(t) {
  if (!t || typeof t !== 'object') return t ? plain(t) : null;
  const entries = Object.entries(t).filter(([, v]) => v !== null && v !== undefined);
  if (!entries.length) return null;
  if ('begin' in t || 'end' in t) return `${plain(t.begin ?? '…')} – ${plain(t.end ?? '…')}`;
  return plain(t);
}

export function renderRights(rights) {
  if (!rights.length) return section('权利 Rights', el('p', { class: 'muted', text: '无 None' }));
  const items = rights.map((r) => {
    const right = r.right ?? r;
    const holders = (Array.isArray(r.holders) ? r.holders : []).map(holderName);
    const current = r.current === undefined ? null : r.current;
    const known = new Set(['usage', 'holders', 'unit', 'bounds', 'term', ...RIGHT_FIELDS.map(([k]) => k)]);
    const extra = Object.entries(right).filter(([k, v]) => !known.has(k) && v !== null && typeof v !== 'object');
    const begin = typeof r.begin === 'number' ? `登簿 act #${r.begin}` : r.begin ? plain(r.begin) : null;
    return el('li', { class: current === false ? 'right past' : 'right' },
      el('div', { class: 'right-head' },
        el('strong', { 'data-field': 'usage', text: plain(right.usage ?? right.use ?? right.right_type ?? '—') }),
        current === null ? null : el('span', { class: current ? 'badge ok' : 'badge', text: current ? '现行 current' : '已失效 ended' })),
      facts([
        ['权利人 Holders', holders.join('; '), 'holders'],
        ...RIGHT_FIELDS.map(([k, label]) => [label, right[k] ? plain(right[k]) : null, k]),
        ['高程范围 Bounds', boundsText(right.bounds), 'bounds'],
        ['期限 Term', termText(right.term), 'term'],
        ['始于 Since', begin, 'begin'],
        ...extra.map(([k, v]) => [k, plain(v), k]),
      ]));
  });
  return section(`权利 Rights (${rights.length})`, el('ul', { class: 'rights' }, items));
}

export function renderSupply(supply) {
  if (!supply || typeof supply !== 'object') return null;
  return section('供地 Land supply', facts([
    ['用途 Use', supply.usage ? plain(supply.usage) : null, 'supply-usage'],
    ['方式 Nature', supply.nature ? plain(supply.nature) : null, 'supply-nature'],
    ['合同 Contract', supply.contract ? plain(supply.contract) : null, 'supply-contract'],
    ['宗地 Plots', supply.plots ? plain(supply.plots) : null, 'supply-plots'],
    ['高程范围 Bounds', boundsText(supply.bounds), 'supply-bounds'],
    ['期限 Term', termText(supply.term), 'supply-term'],
  ]));
}

export function genericList(list) {
  return el('ul', { class: 'plain-list' }, list.map((x) => el('li', { text: plain(x) })));
}

export function renderCertificates(certs) {
  if (!certs.length) return section('证书 Certificates', el('p', { class: 'muted', text: '无 None' }));
  const rows = certs.map((entry) => {
    const [cert, current] = Array.isArray(entry) ? entry : [entry, entry?.current];
    const kind = cert?.kind === 'title' ? '不动产权证书 title' : cert?.kind ? plain(cert.kind) : null;
    return el('li', {},
      el('code', { text: plain(cert?.number ?? cert) }), ' ',
      kind ? el('span', { class: 'muted small', text: `${kind} ` }) : null,
      current === undefined ? null : el('span', { class: current ? 'badge ok' : 'badge', text: current ? '有效 valid' : '已注销 superseded' }));
  });
  return section('证书 Certificates', el('ul', { class: 'plain-list' }, rows));
}

/** A neighbour's code as the declared wording names it (GX00001) when it is of the same
 * cadastral zone; the full code otherwise. */
function shortCode(code, of) {
  return typeof code === 'string' && typeof of === 'string' && code.length === 28 && code.slice(0, 12) === of.slice(0, 12)
    ? code.slice(12, 19)
    : code;
}

export function renderSixto(declared, computed, code) {
  const byDir = new Map((computed ?? []).map((c) => [c.direction, c]));
  const table = el('table', { class: computed ? 'sixto' : 'sixto declared-only' },
    el('thead', {}, el('tr', {}, el('th', { text: '方向' }), el('th', { text: '登记 Declared' }),
      computed ? el('th', { text: '计算 Computed' }) : null)),
    el('tbody', {}, DIRECTIONS.map(([dir, label]) => {
      const c = byDir.get(dir);
      let comp = '—';
      if (c) {
        const ns = (c.neighbours ?? []).map((n) => `${shortCode(n.unit, code)} (${fmt(n.shared_area_m2, NF1)} m²)`);
        const axis = dir === 'up' || dir === 'down' ? 'z' : dir === 'east' || dir === 'west' ? 'x' : 'y';
        const limit = typeof c.limit === 'number' ? `${axis} = ${axis === 'z' ? fmt(c.limit) : NF2.format(c.limit)} m` : '';
        comp = [limit, ...ns].filter(Boolean).join('\n') || '—';
      }
      return el('tr', {}, el('th', { scope: 'row', text: label }),
        el('td', { text: declared?.[dir] ?? '—' }),
        computed ? el('td', { text: comp }) : null);
    })));
  const note = computed ? null : el('p', { class: 'muted small', text: '历史视图不计算六至 · Computed directions are not given for a past date' });
  return section('六至 Six directions', table, note);
}

export function renderHistory(history) {
  if (!history.length) return section('登簿历史 History', el('p', { class: 'muted', text: '无 None' }));
  const table = el('table', { class: 'history' },
    el('thead', {}, el('tr', {}, ['#', '业务 Act', '登簿人 Officer', '时间 Recorded'].map((t) => el('th', { text: t })))),
    el('tbody', {}, history.map((h) => el('tr', {},
      el('td', { text: plain(h.seq) }),
      el('td', {}, el('span', { text: h.name_zh ?? plain(h.act) }), h.number ? el('div', { class: 'muted small', text: plain(h.number) }) : null),
      el('td', { text: plain(h.officer ?? '—') }),
      el('td', { text: plain(h.recorded_at ?? '—').replace('T', ' ').replace(/(\.\d+)?Z$/, '') })))));
  return section(`登簿历史 History (${history.length})`, table);
}
