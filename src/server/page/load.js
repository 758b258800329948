// Loading the register's units (as of the date viewed), page by page, and drawing them: the
// ground, the solids, the section's range, the list, the rules pane's plots, the first framing.

import { state } from './state.js';
import { $ } from './dom.js';
import { api, withAsOf } from './api.js';
import { showError, clearError, setMessage } from './messages.js';
import { renderer, scene, camera, fit, OBLIQUE } from './scene.js';
import { buildWorld, setGround, groundIn, groundOf } from './world.js';
import { setupSection } from './section.js';
import { clearUnits, addUnit, styleUnits } from './units.js';
import { updateRegisterInfo } from './register.js';
import { renderUnitList } from './unitlist.js';
import { selectUnit } from './detail.js';
import { updatePlots } from './rules.js';

const PAGE_LIMIT = 1000;

async function fetchUnits(gen) {
  const ext = state.register?.extent;
  if (!ext) return [];
  const pad = 1;
  const bbox = [ext[0] - pad, ext[1] - pad, ext[3] + pad, ext[4] + pad].map((n) => n.toFixed(3)).join(',');
  const all = [];
  let total = Infinity;
  while (all.length < total) {
    const params = withAsOf(new URLSearchParams({ bbox, geometry: 'mesh', limit: String(PAGE_LIMIT), offset: String(all.length) }));
    const page = await api(`/api/units?${params}`);
    if (gen !== state.loadGen) return null;
    total = page.total ?? page.units.length;
    all.push(...page.units);
    if (!page.units.length) break;
  }
  return all;
}

/** Loads the register's units (as of the chosen date) and draws them. */
export async function loadUnits() {
  const gen = ++state.loadGen;
  state.busy = true;
  setMessage('加载中… Loading…');
  try {
    const units = await fetchUnits(gen);
    if (units === null) return;
    clearUnits();
    const apiGround = groundIn(state.register);
    setGround(apiGround ?? groundOf(units), apiGround !== undefined ? 3 : 1);
    buildWorld();
    for (const u of units) addUnit(u);
    if (state.selected && !state.units.has(state.selected)) selectUnit(null);
    styleUnits();
    setupSection(units);
    $('draw-z').value = String(Math.round((state.ground - 10) * 2) / 2);
    if (!state.asOf) state.nowCount = units.length;
    updateRegisterInfo(units.length);
    renderUnitList(units, selectUnit);
    updatePlots();
    setMessage(units.length ? '' : state.asOf ? `${state.asOf} 时没有登记单元 · No units as of ${state.asOf}` : '登记簿中没有单元 · The register has no units');
    if (!state.cameraSet) fit(OBLIQUE);
    state.cameraSet = true;
    renderer.render(scene, camera);
    state.loadOk = true;
    clearError('units');
  } catch (e) {
    state.loadOk = false;
    setMessage('');
    showError('units', e);
  } finally {
    if (gen === state.loadGen) state.busy = false;
  }
}
