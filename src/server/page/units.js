// The units' solids in the view: added from the API's meshes, cleared, and styled by stratum,
// selection, the tunnel's result and the legend's stratum switches.

import * as THREE from 'three';
import { COLOURS, OPACITY } from './constants.js';
import { state } from './state.js';
import { unitGroup, disposeGroup, meshGeometry, solidMaterial, edgeMaterial, requestRender } from './scene.js';

export function clearUnits() {
  disposeGroup(unitGroup);
  state.units.clear();
}

export function addUnit(data) {
  const stratum = COLOURS[data.stratum] ? data.stratum : 'under';
  const geometry = meshGeometry(data.mesh);
  const mesh = new THREE.Mesh(geometry, solidMaterial(COLOURS[stratum]));
  mesh.userData.code = data.code;
  const edges = new THREE.LineSegments(new THREE.EdgesGeometry(geometry, 15), edgeMaterial(COLOURS[stratum]));
  edges.userData.code = data.code;
  unitGroup.add(mesh, edges);
  state.units.set(data.code, { data, mesh, edges, stratum });
}

/** Colours, opacity and edges of every unit from the selection and the tunnel's result. */
export function styleUnits() {
  const met = new Set(state.tunnel?.met ?? []);
  const near = new Set(state.tunnel?.clearance ?? []);
  const focus = met.size + near.size > 0;
  const visible = stratumVisibility();
  for (const [code, u] of state.units) {
    const selected = code === state.selected;
    const base = met.has(code) ? COLOURS.met : near.has(code) ? COLOURS.clearance : COLOURS[u.stratum];
    const hot = selected || met.has(code) || near.has(code);
    const m = u.mesh.material;
    m.color.set(base);
    m.emissive.set(hot ? base : '#000000');
    m.emissiveIntensity = hot ? 0.35 : 0;
    m.opacity = hot ? 0.75 : focus ? 0.15 : OPACITY[u.stratum];
    u.edges.material.color.set(selected ? COLOURS.selected : base);
    u.edges.material.opacity = selected ? 1 : focus && !hot ? 0.35 : 0.95;
    // Drawn in layers: the under ground, then the ground's veil and grid, then the rest and
    // the highlighted units (over the veil, in their own colour).
    const layer = u.stratum === 'under' && !hot ? 0 : 2;
    u.mesh.renderOrder = layer + (hot ? 0.5 : 0);
    u.edges.renderOrder = layer + 0.6;
    u.mesh.visible = u.edges.visible = visible[u.stratum] !== false;
  }
  requestRender();
}

function stratumVisibility() {
  const out = {};
  for (const box of document.querySelectorAll('input[data-stratum]')) out[box.dataset.stratum] = box.checked;
  return out;
}
