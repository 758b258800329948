// The register as of a past date: the date field and "now", reloading the units as they
// stood then (a tunnel's answer, of another date, is cleared).

import { state } from './state.js';
import { $, el } from './dom.js';
import { updateRegisterInfo } from './register.js';
import { loadUnits } from './load.js';
import { selectUnit } from './detail.js';
import { clearTunnel } from './tunnel.js';

async function setAsOf(date) {
  state.asOf = date;
  $('asof').value = date;
  const hadTunnel = Boolean(state.tunnel);
  clearTunnel();
  if (hadTunnel) $('tunnel-result').replaceChildren(el('p', { class: 'muted', text: '日期已变更，请重新查询 · The date changed: query again' }));
  updateRegisterInfo(state.units.size);
  await loadUnits();
  if (state.selected) selectUnit(state.selected);
}

/** The date field and the "now" button. */
export function wireAsOf() {
  $('asof').addEventListener('change', () => {
    const v = $('asof').value;
    if (v !== state.asOf) setAsOf(v);
  });
  $('btn-now').addEventListener('click', () => {
    if (state.asOf) setAsOf('');
  });
  $('asof-form').addEventListener('submit', (e) => e.preventDefault());
}
