// The pointer in the view: a click selects the unit under it (again at the same place, the
// next one behind) or adds a centreline point while drawing; hovering shows a unit's tooltip.

import { STRATUM_LABEL } from './constants.js';
import { state } from './state.js';
import { $, el, zText } from './dom.js';
import { canvas } from './scene.js';
import { codesAt } from './picking.js';
import { addDrawPoint } from './tunnel-form.js';
import { selectUnit } from './detail.js';
import { showTab } from './tabs.js';

let pressAt = null;
let lastClick = null;
let hoverQueued = false;

/** The canvas's pointer events (after the orbit controls' own). */
export function wirePointer() {
  canvas.addEventListener('pointerdown', (e) => {
    pressAt = { x: e.clientX, y: e.clientY };
  });
  canvas.addEventListener('pointerup', click);
  canvas.addEventListener('pointermove', (e) => {
    if (e.buttons || hoverQueued) return;
    hoverQueued = true;
    requestAnimationFrame(() => {
      hoverQueued = false;
      hover(e.clientX, e.clientY);
    });
  });
  canvas.addEventListener('pointerleave', () => {
    $('tooltip').hidden = true;
  });
}

/** A press and release without moving: a centreline point while drawing, else a selection. */
function click(e) {
  if (!pressAt || e.button !== 0) return;
  const moved = Math.hypot(e.clientX - pressAt.x, e.clientY - pressAt.y);
  pressAt = null;
  if (moved > 4) return;
  if (state.drawing) {
    addDrawPoint(e.clientX, e.clientY);
    return;
  }
  const codes = codesAt(e.clientX, e.clientY);
  // A second click at the same place goes to the next unit behind the selected one.
  const again = lastClick && Math.hypot(e.clientX - lastClick.x, e.clientY - lastClick.y) < 4;
  let code = codes[0] ?? null;
  if (again && state.selected && codes.includes(state.selected)) {
    code = codes[(codes.indexOf(state.selected) + 1) % codes.length];
  }
  lastClick = { x: e.clientX, y: e.clientY };
  if (code) {
    selectUnit(code);
    showTab('unit');
  }
}

function hover(x, y) {
  const tip = $('tooltip');
  const code = state.drawing ? null : codesAt(x, y)[0];
  canvas.style.cursor = state.drawing ? 'crosshair' : code ? 'pointer' : '';
  if (!code) {
    tip.hidden = true;
    return;
  }
  const { data } = state.units.get(code);
  tip.replaceChildren(
    el('strong', { text: code }),
    el('span', { text: [data.name, STRATUM_LABEL[data.stratum], zText(data.z_range)].filter(Boolean).join(' · ') }),
  );
  const rect = $('view').getBoundingClientRect();
  tip.style.left = `${x - rect.left + 14}px`;
  tip.style.top = `${y - rect.top + 14}px`;
  tip.hidden = false;
}
