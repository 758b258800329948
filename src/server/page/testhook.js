// window.strataTest: the hook the browser test (tests/browser/page.mjs) drives the page with.

import { state } from './state.js';
import { codesAt, screenPositionOf } from './picking.js';

/** Installs window.strataTest. */
export function installTestHook() {
  window.strataTest = Object.freeze({
    /** Resolves once the units are loaded and drawn: true, or false when loading failed. */
    ready() {
      return new Promise((resolve) => {
        const check = () => (state.busy ? setTimeout(check, 50) : resolve(state.loadOk));
        check();
      });
    },
    unitCount: () => state.units.size,
    screenPositionOf,
    /** The codes of the units under a point of the page, nearest first (the click's raycast). */
    codesAt,
    /** The codes the last tunnel query highlighted: met first, then those within clearance. */
    highlighted: () => [...(state.tunnel?.met ?? []), ...(state.tunnel?.clearance ?? [])],
    selected: () => state.selected,
    /** The last rules check: { plot, proposal, broken, drawn (the proposal drawn in the view) }. */
    rules: () => (state.rules ? { ...state.rules } : null),
  });
}
