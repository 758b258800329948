// Strata's 3D page: the register's units as solids (three.js), their register pages, tunnel
// queries, the district's planning rules and the register as of a past date. Plain ES
// modules, no framework, no bundler.
//
// This is the entry: it wires the page's controls to the modules and starts the page (signing
// in again when the browser tab's session kept a token). The modules:
//   constants.js, state.js       colours and fixed values; the shared state
//   dom.js, messages.js          DOM helpers and text of values; errors and the view's message
//   api.js, parties.js           the API with the bearer token; holders' names
//   scene.js, world.js           three.js scene, camera, rendering, framing; ground and grid
//   section.js, units.js         the horizontal section; the units' solids and their style
//   picking.js, pointer.js       raycasts; clicks and hover in the view
//   load.js, register.js         loading the units; the register's facts
//   unitlist.js, detail.js,      the unit pane: the list, the selected unit's register page,
//   detail-sections.js,          its parts and its documents
//   documents.js
//   tunnel-form.js, tunnel.js,   the tunnel pane: the form (and drawing), the query, its answer
//   tunnel-result.js
//   rules.js, rules-volume.js,   the rules pane: the plot and the check, the proposed layer
//   rules-result.js              (its form and its solid), the answer
//   session.js, asof.js, tabs.js sign-in and sign-out; the date viewed; the panel's tabs
//   testhook.js                  window.strataTest for the browser test

import { COLOURS } from './constants.js';
import { $ } from './dom.js';
import { resize, fit, OBLIQUE, TOP } from './scene.js';
import { buildWorld } from './world.js';
import { applySection } from './section.js';
import { styleUnits } from './units.js';
import { wirePointer } from './pointer.js';
import { wireSession, restoreSession } from './session.js';
import { wireAsOf } from './asof.js';
import { wireTabs } from './tabs.js';
import { wireTunnel } from './tunnel.js';
import { wireRules } from './rules.js';
import { installTestHook } from './testhook.js';

/** The legend's swatches in the page's colours, the toolbar, the section slider and the
 * stratum switches. */
function wireView() {
  for (const [key, colour] of Object.entries(COLOURS)) {
    for (const s of document.querySelectorAll(`[data-swatch="${key}"]`)) s.style.background = colour;
  }
  $('btn-fit').addEventListener('click', () => fit(OBLIQUE));
  $('btn-top').addEventListener('click', () => fit(TOP));
  $('btn-3d').addEventListener('click', () => fit(OBLIQUE));
  $('section').addEventListener('input', applySection);
  for (const box of document.querySelectorAll('input[data-stratum]')) box.addEventListener('change', styleUnits);
}

wirePointer();
installTestHook();
wireView();
wireSession();
wireAsOf();
wireTabs();
wireTunnel();
wireRules();
buildWorld();
resize();
restoreSession();
