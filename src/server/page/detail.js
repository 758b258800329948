// The selected unit and its register page in the unit pane: read from the API (as of the
// date viewed) and shown part by part.

import { COLOURS, STRATUM_LABEL } from './constants.js';
import { state } from './state.js';
import { $, el, facts, fmt, zText, datumText } from './dom.js';
import { api, withAsOf } from './api.js';
import { learnParties } from './parties.js';
import { showError, clearError } from './messages.js';
import { groundIn, setGround } from './world.js';
import { styleUnits } from './units.js';
import { markListSelection } from './unitlist.js';
import {
  section, renderSupply, renderRights, genericList, renderCertificates, renderSixto, renderHistory,
} from './detail-sections.js';
import { renderLinks } from './documents.js';

let detailGen = 0;

export async function selectUnit(code) {
  state.selected = code;
  styleUnits();
  markListSelection();
  const box = $('unit-detail');
  const gen = ++detailGen;
  $('unit-hint').hidden = Boolean(code);
  if (!code) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.state = 'loading';
  box.replaceChildren(el('p', { class: 'muted', text: `${code} · 加载中… Loading…` }));
  try {
    const params = withAsOf(new URLSearchParams());
    const q = params.toString();
    const page = await api(`/api/units/${encodeURIComponent(code)}${q ? `?${q}` : ''}`);
    if (gen !== detailGen) return;
    learnParties(page);
    const g = groundIn(page) ?? groundIn(page.unit);
    if (g !== undefined) setGround(g, 3);
    box.replaceChildren(...renderDetail(code, page));
    box.dataset.code = code;
    box.dataset.state = 'done';
    clearError('unit');
  } catch (e) {
    if (gen !== detailGen) return;
    box.replaceChildren(el('p', { class: 'muted', text: `${code}: 无法加载 could not be loaded` }));
    box.dataset.state = 'error';
    showError('unit', e);
  }
}

function renderDetail(code, page) {
  const unit = page.unit ?? {};
  const listed = state.units.get(code)?.data ?? {};
  const stratum = unit.stratum ?? listed.stratum;
  const m = unit.measures ?? {};
  const zr = [m.z_min ?? listed.z_range?.[0], m.z_max ?? listed.z_range?.[1]];
  const out = [];
  out.push(el('div', { class: 'unit-head' },
    el('span', { class: 'swatch', style: `background:${COLOURS[stratum] ?? '#999'}` }),
    el('code', { class: 'unit-code', 'data-field': 'code', text: unit.code ?? code })));
  const name = unit.name ?? listed.name;
  if (name) out.push(el('p', { class: 'unit-name', text: name }));
  if (state.asOf) out.push(el('p', { class: 'asof-note', text: `登记簿 ${state.asOf} 时的状态 · As the register stood on ${state.asOf}` }));
  out.push(facts([
    ['宗地 Plot', unit.plot ?? listed.plot, 'plot'],
    ['分层 Stratum', STRATUM_LABEL[stratum] ?? stratum, 'stratum'],
    ['状态 Status', unit.status ?? listed.status, 'status'],
    ['高程 Elevations', `${zText(zr)} ${datumText()}`, 'z'],
    ['体积 Volume', m.volume_m3 !== undefined ? `${fmt(m.volume_m3)} m³` : null, 'volume'],
    ['投影面积 Footprint', m.footprint_m2 !== undefined ? `${fmt(m.footprint_m2)} m²` : null, 'footprint'],
  ]));
  out.push(renderSupply(page.supply));
  out.push(renderRights(page.rights ?? []));
  for (const [key, title] of [['mortgages', '抵押 Mortgages'], ['seizures', '查封 Seizures']]) {
    const list = page[key] ?? [];
    if (list.length) out.push(section(`${title} (${list.length})`, genericList(list)));
  }
  out.push(renderCertificates(page.certificates ?? []));
  out.push(renderSixto(unit.sixto, page.sixto_computed, unit.code ?? code));
  out.push(renderHistory(page.history ?? []));
  out.push(renderLinks(page.links));
  return out;
}
