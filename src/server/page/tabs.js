// The panel's tabs (unit, tunnel, rules): showing one, by click or by the arrow keys, and
// telling the modules that asked when their tab is shown.

import { $ } from './dom.js';

const TABS = ['unit', 'tunnel', 'rules'];
const shownHooks = new Map(); // tab name -> [functions called when it is shown]

export function showTab(name) {
  for (const tab of TABS) {
    const on = tab === name;
    $(`tab-${tab}`).setAttribute('aria-selected', String(on));
    $(`tab-${tab}`).tabIndex = on ? 0 : -1;
    $(`pane-${tab}`).hidden = !on;
  }
  for (const fn of shownHooks.get(name) ?? []) fn();
}

/** Calls fn whenever the tab is shown. */
export function onTabShown(name, fn) {
  shownHooks.set(name, [...(shownHooks.get(name) ?? []), fn]);
}

/** The tabs' clicks and arrow keys (Home and End too). */
export function wireTabs() {
  for (const tab of TABS) $(`tab-${tab}`).addEventListener('click', () => showTab(tab));
  $('tabs').addEventListener('keydown', (e) => {
    const at = TABS.findIndex((t) => $(`tab-${t}`).getAttribute('aria-selected') === 'true');
    const steps = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: TABS.length - 1 };
    if (!(e.key in steps)) return;
    e.preventDefault();
    const next = TABS[(steps[e.key] + TABS.length) % TABS.length];
    showTab(next);
    $(`tab-${next}`).focus();
  });
}
