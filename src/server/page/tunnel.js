// A tunnel query: posting the form's tunnel (as of the date viewed), drawing the tunnel's
// solid, highlighting the units it meets and those within its clearance, and clearing it;
// the wiring of the tunnel pane.

import * as THREE from 'three';
import { COLOURS } from './constants.js';
import { state } from './state.js';
import { $, el } from './dom.js';
import { api, ApiError } from './api.js';
import { showError, clearError } from './messages.js';
import { tunnelGroup, clipPlanes, disposeGroup, meshGeometry, edgeMaterial, requestRender, fit, OBLIQUE } from './scene.js';
import { setGround } from './world.js';
import { styleUnits } from './units.js';
import { tunnelBody, fillTunnelForm, setShape, setDrawing, clearDraw } from './tunnel-form.js';
import { codeOf, renderTunnelResult } from './tunnel-result.js';

async function queryTunnel() {
  const box = $('tunnel-result');
  let body;
  try {
    body = tunnelBody();
  } catch (e) {
    showError('tunnel', e);
    return;
  }
  box.dataset.state = 'loading';
  box.replaceChildren(el('p', { class: 'muted', text: '查询中… Querying…' }));
  $('btn-query').disabled = true;
  try {
    const result = await api('/api/query', { method: 'POST', body });
    showTunnel(result);
    clearError('tunnel');
    box.dataset.state = 'done';
    fit(OBLIQUE);
    box.scrollIntoView({ block: 'start', behavior: 'instant' });
  } catch (e) {
    box.replaceChildren();
    box.dataset.state = 'error';
    showError('tunnel', e);
  } finally {
    $('btn-query').disabled = false;
  }
}

/** Shows a query's answer: the tunnel's solid, the units it meets highlighted, the list. */
function showTunnel(result) {
  disposeGroup(tunnelGroup);
  clearDraw();
  if (result.mesh) addTunnelSolid(result.mesh);
  const met = result.met ?? [];
  const near = result.within_clearance ?? [];
  for (const m of [...met, ...near]) {
    if (typeof m.depth_below_ground_m === 'number' && Array.isArray(m.shared_z_range)) {
      setGround(m.shared_z_range[1] + m.depth_below_ground_m, 2);
      break;
    }
  }
  state.tunnel = { met: met.map(codeOf), clearance: near.map(codeOf) };
  styleUnits();
  renderTunnelResult(result, met, near);
  requestRender();
}

/** The tunnel's solid and its edges. */
function addTunnelSolid(mesh) {
  const g = meshGeometry(mesh);
  // Drawn last, over the units it passes through.
  const solid = new THREE.Mesh(g, new THREE.MeshLambertMaterial({
    color: COLOURS.tunnel, transparent: true, opacity: 0.8, side: THREE.DoubleSide, depthWrite: false, clippingPlanes: clipPlanes,
  }));
  solid.renderOrder = 4;
  const edges = new THREE.LineSegments(new THREE.EdgesGeometry(g, 20), edgeMaterial(0xf4f7fb));
  edges.renderOrder = 4.1;
  tunnelGroup.add(solid, edges);
}

export function clearTunnel() {
  disposeGroup(tunnelGroup);
  state.tunnel = null;
  const box = $('tunnel-result');
  box.replaceChildren();
  delete box.dataset.state;
  styleUnits();
}

/** The tunnel pane's form: shape, query, clear, draw, upload; Escape ends drawing. */
export function wireTunnel() {
  for (const r of document.querySelectorAll('input[name=shape]')) r.addEventListener('change', () => setShape(r.value));
  $('tunnel-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (state.drawing) setDrawing(false);
    queryTunnel();
  });
  $('btn-tunnel-clear').addEventListener('click', () => {
    clearTunnel();
    clearDraw();
    clearError('tunnel');
  });
  $('btn-draw').addEventListener('click', () => setDrawing(!state.drawing));
  $('tunnel-file').addEventListener('change', async () => {
    const file = $('tunnel-file').files?.[0];
    if (!file) return;
    try {
      fillTunnelForm(JSON.parse(await file.text()));
      clearError('tunnel');
    } catch (e) {
      showError('tunnel', e instanceof SyntaxError ? new ApiError('input', `${file.name}: ${e.message}`, 0) : e);
    }
  });
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.drawing) setDrawing(false);
  });
}
