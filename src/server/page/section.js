// The horizontal section: the slider's range from the units' elevations, the clipping plane
// at the chosen elevation (z ≤ the value is kept) and the extent's outline drawn at the cut.

import { NO_CUT } from './constants.js';
import { state } from './state.js';
import { $, NF1, datumText } from './dom.js';
import { clipPlane, world, requestRender } from './scene.js';

function sectionOutline() {
  return world.getObjectByName('section-outline');
}

export function setupSection(units) {
  const slider = $('section');
  const ext = state.register?.extent;
  let lo = ext ? ext[2] : 0;
  let hi = ext ? ext[5] : 1;
  for (const u of units) {
    if (Array.isArray(u.z_range)) {
      lo = Math.min(lo, u.z_range[0]);
      hi = Math.max(hi, u.z_range[1]);
    }
  }
  state.zRange = [Math.floor(lo), Math.ceil(hi)];
  const wasCut = state.clipZ < NO_CUT;
  slider.min = String(state.zRange[0]);
  slider.max = String(state.zRange[1]);
  slider.disabled = false;
  slider.value = wasCut ? String(Math.min(Math.max(state.clipZ, state.zRange[0]), state.zRange[1])) : slider.max;
  applySection();
}

export function applySection() {
  const slider = $('section');
  const z = Number(slider.value);
  const cut = z < Number(slider.max);
  state.clipZ = cut ? z : NO_CUT;
  clipPlane.constant = state.clipZ - state.origin[2];
  const out = $('section-value');
  out.textContent = cut ? `z ≤ ${NF1.format(z)} m ${datumText()}` : '无剖切 No cut';
  slider.setAttribute('aria-valuetext', cut ? `${NF1.format(z)} m` : 'no cut');
  const outline = sectionOutline();
  if (outline) {
    outline.visible = cut;
    outline.position.z = z - 0.01;
  }
  requestRender();
}
