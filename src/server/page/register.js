// The register's facts in the panel and the title: location, CRS, height datum, the number
// of units (as of the date viewed) and the last act.

import { state } from './state.js';
import { $, facts, plain } from './dom.js';

/** The number of units shown, with the number now when the view is of a past date. */
function unitsText(shown) {
  const now = state.register?.units ?? state.nowCount;
  if (!state.asOf) return String(shown ?? now ?? '—');
  return `${shown} (${state.asOf})${typeof now === 'number' ? ` / ${now} 现在 now` : ''}`;
}

export function updateRegisterInfo(shown) {
  const r = state.register;
  if (!r) return;
  const head = r.head;
  $('register-info').replaceChildren(...facts([
    ['项目 Location', r.location, 'location'],
    ['坐标系 CRS', r.crs_epsg ? `EPSG:${r.crs_epsg}` : null, 'crs'],
    ['高程基准 Height datum', r.height_datum, 'datum'],
    ['单元 Units', unitsText(shown), 'units'],
    ['最近登簿 Last act', head ? `#${head.seq} · ${plain(head.recorded_at).replace('T', ' ').replace(/(\.\d+)?Z$/, '')}` : '—', 'head'],
  ]).childNodes);
  $('title-register').textContent = [r.location, r.crs_epsg ? `EPSG:${r.crs_epsg}` : null, r.height_datum].filter(Boolean).join(' · ');
  const badge = $('title-asof');
  badge.hidden = !state.asOf;
  badge.textContent = state.asOf ? `历史视图 As of ${state.asOf}` : '';
}
