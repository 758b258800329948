// The layer proposed in the rules pane: read from the form (a volume spec and a stratum) into
// the body of a check, and drawn in the view as a solid (a box:… spec as a box, a prism:…
// spec as its footprint extruded), cleared on a new check.

import * as THREE from 'three';
import { COLOURS } from './constants.js';
import { state } from './state.js';
import { $ } from './dom.js';
import { ApiError } from './api.js';
import { proposalGroup, clipPlanes, disposeGroup, edgeMaterial, requestRender } from './scene.js';

/** The proposed layer of the form, or null when its volume is left empty. The service reads
 * the spec itself; only its kind is checked here. */
export function proposalOf() {
  const volume = $('rules-volume').value.trim();
  if (!volume) return null;
  if (!/^(box|prism):/.test(volume)) {
    throw new ApiError('input', `空间范围 Volume "${volume}": box:minx,miny,minz,maxx,maxy,maxz or prism:zbottom,ztop:x1 y1,x2 y2,…`, 0);
  }
  return { volume, stratum: $('rules-stratum').value };
}

const numbers = (s) => s.split(',').map((t) => Number(t.trim()));

/** The geometry of a spec in the view's local coordinates; null when it cannot be drawn. */
function specGeometry(spec) {
  const [ox, oy, oz] = state.origin;
  const box = /^box:(.*)$/.exec(spec);
  if (box) {
    const n = numbers(box[1]);
    if (n.length !== 6 || n.some((v) => !Number.isFinite(v)) || n[3] <= n[0] || n[4] <= n[1] || n[5] <= n[2]) return null;
    const g = new THREE.BoxGeometry(n[3] - n[0], n[4] - n[1], n[5] - n[2]);
    g.translate((n[0] + n[3]) / 2 - ox, (n[1] + n[4]) / 2 - oy, (n[2] + n[5]) / 2 - oz);
    return g;
  }
  const prism = /^prism:([^:]*):(.*)$/.exec(spec);
  if (!prism) return null;
  const z = numbers(prism[1]);
  const ring = prism[2].split(',').map((p) => p.trim().split(/\s+/).map(Number));
  if (z.length !== 2 || !(z[1] > z[0]) || ring.length < 3 || ring.some((p) => p.length !== 2 || !p.every(Number.isFinite))) return null;
  const shape = new THREE.Shape(ring.map(([x, y]) => new THREE.Vector2(x - ox, y - oy)));
  const g = new THREE.ExtrudeGeometry(shape, { depth: z[1] - z[0], bevelEnabled: false });
  g.translate(0, 0, z[0] - oz);
  return g;
}

/** Draws the proposed layer (over the units, in its own colour); false when it cannot be. */
export function drawProposal(spec) {
  clearProposal();
  const g = spec ? specGeometry(spec) : null;
  if (!g) return false;
  g.computeBoundingBox();
  const solid = new THREE.Mesh(g, new THREE.MeshLambertMaterial({
    color: COLOURS.proposal, emissive: COLOURS.proposal, emissiveIntensity: 0.3, transparent: true,
    opacity: 0.7, side: THREE.DoubleSide, depthWrite: false, clippingPlanes: clipPlanes,
  }));
  solid.renderOrder = 4;
  const edges = new THREE.LineSegments(new THREE.EdgesGeometry(g, 20), edgeMaterial(0xfbe3fc));
  edges.renderOrder = 4.1;
  proposalGroup.add(solid, edges);
  requestRender();
  return true;
}

export function clearProposal() {
  disposeGroup(proposalGroup);
  requestRender();
}
