// The answer of a tunnel query in the tunnel pane: its figures, the units met and those
// within the clearance (each a link to its register page), with their holders' names.

import { COLOURS } from './constants.js';
import { state } from './state.js';
import { $, el, facts, fmt, zText, datumText, plain } from './dom.js';
import { api, withAsOf } from './api.js';
import { holderName, partyNames, learnParties } from './parties.js';
import { selectUnit } from './detail.js';
import { showTab } from './tabs.js';

export const codeOf = (m) => m.unit ?? m.code;

/** Lists a query's answer: its figures, then the units met and those within the clearance. */
export function renderTunnelResult(result, met, near) {
  const box = $('tunnel-result');
  resolveHolders([...met, ...near]);
  box.replaceChildren(
    facts([
      ['隧道体积 Tunnel volume', result.volume_m3 !== undefined ? `${fmt(result.volume_m3)} m³` : null, 'tunnel-volume'],
      ['相交单元 Units met', String(met.length), 'met-count'],
      ['净距内 Within clearance', result.within_clearance ? String(near.length) : null, 'clearance-count'],
    ]),
    el('h3', {}, el('span', { class: 'swatch', style: `background:${COLOURS.met}` }), '相交 Met by the tunnel'),
    meetingList('tunnel-met', met),
    ...(result.within_clearance
      ? [el('h3', {}, el('span', { class: 'swatch', style: `background:${COLOURS.clearance}` }), '净距内 Within the clearance'), meetingList('tunnel-clear', near)]
      : []),
  );
}

/** The query names holders by their party id: read the register pages of the units listed
 * (up to 20) for the names, and put them in the list. */
async function resolveHolders(list) {
  const shown = state.tunnel;
  const unknown = list.filter((m) => Array.isArray(m.holders) && m.holders.some((h) => typeof h === 'string' && !partyNames.has(h)));
  for (const m of unknown.slice(0, 20)) {
    try {
      const q = withAsOf(new URLSearchParams()).toString();
      learnParties(await api(`/api/units/${encodeURIComponent(codeOf(m))}${q ? `?${q}` : ''}`));
    } catch {
      return; // the ids stay; the list is still right
    }
  }
  if (state.tunnel !== shown) return;
  for (const m of list) {
    const dd = document.querySelector(`#tunnel-result li[data-code="${CSS.escape(codeOf(m))}"] [data-field=holders]`);
    if (dd && Array.isArray(m.holders)) dd.textContent = m.holders.map(holderName).join('; ');
  }
}

function meetingList(id, list) {
  if (!list.length) return el('p', { id, class: 'muted', text: '无 None' });
  return el('ol', { id, class: 'meetings' }, list.map((m) => {
    const code = codeOf(m);
    const holders = Array.isArray(m.holders) ? m.holders.map(holderName).join('; ') : plain(m.holders);
    const depth = m.depth_below_ground_m;
    return el('li', { 'data-code': code },
      el('button', { type: 'button', class: 'link', title: '查看登记信息 Show its register page', onclick: () => { selectUnit(code); showTab('unit'); }, text: code }),
      facts([
        ['用途 Use', m.usage ? plain(m.usage) : null, 'usage'],
        ['权利人 Holders', holders, 'holders'],
        ['共有体积 Shared volume', m.overlap_volume_m3 !== undefined ? `${fmt(m.overlap_volume_m3)} m³` : null, 'overlap'],
        ['共有高程 Shared elevations', m.shared_z_range ? `${zText(m.shared_z_range)} ${datumText()}` : null, 'shared-z'],
        ['地面以下 Below ground', depth !== undefined && depth !== null ? `${fmt(depth)} m` : null, 'depth'],
        ['单元高程 Unit elevations', m.z_range ? zText(m.z_range) : null, 'z'],
      ]));
  }));
}
