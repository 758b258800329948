// The list of the view's units in the unit pane (for the keyboard too), with the selected
// one marked.

import { COLOURS } from './constants.js';
import { state } from './state.js';
import { $, el, zText } from './dom.js';

const LIST_MAX = 300;

/** Lists the units (the first LIST_MAX); a row's button selects its unit through onSelect. */
export function renderUnitList(units, onSelect) {
  const shown = units.slice(0, LIST_MAX);
  $('unit-list-count').textContent = units.length > LIST_MAX ? `(${LIST_MAX} / ${units.length})` : `(${units.length})`;
  $('unit-list').replaceChildren(...shown.map((u) => el('li', { 'data-code': u.code },
    el('button', {
      type: 'button', class: 'unit-row', 'aria-pressed': String(u.code === state.selected),
      title: u.code, onclick: () => onSelect(u.code),
    },
    el('span', { class: 'swatch', style: `background:${COLOURS[u.stratum] ?? '#999'}` }),
    el('code', { text: u.code }),
    el('span', { class: 'unit-row-name', text: u.name ?? '' }),
    el('span', { class: 'unit-row-z muted', text: zText(u.z_range) })))));
}

export function markListSelection() {
  for (const b of $('unit-list').querySelectorAll('button.unit-row')) {
    b.setAttribute('aria-pressed', String(b.parentElement.dataset.code === state.selected));
  }
}
