// The panel's two tabs (unit, tunnel): showing one, by click or by the arrow keys.

import { $ } from './dom.js';

export function showTab(name) {
  for (const [tab, pane] of [['tab-unit', 'pane-unit'], ['tab-tunnel', 'pane-tunnel']]) {
    const on = tab === `tab-${name}`;
    $(tab).setAttribute('aria-selected', String(on));
    $(tab).tabIndex = on ? 0 : -1;
    $(pane).hidden = !on;
  }
}

/** The tabs' clicks and arrow keys. */
export function wireTabs() {
  $('tab-unit').addEventListener('click', () => showTab('unit'));
  $('tab-tunnel').addEventListener('click', () => showTab('tunnel'));
  $('tabs').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const next = $('tab-unit').getAttribute('aria-selected') === 'true' ? 'tunnel' : 'unit';
    showTab(next);
    $(`tab-${next}`).focus();
  });
}
