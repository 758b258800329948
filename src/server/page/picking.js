// Picking in the view: the units under a point of the page (the section's cut away part
// excluded), and a point of the page where a unit is the first hit (for the browser test).

import * as THREE from 'three';
import { state } from './state.js';
import { canvas, camera } from './scene.js';

export const raycaster = new THREE.Raycaster();

/** A point of the page (CSS pixels) in the canvas's normalised device coordinates. */
export function ndcOf(clientX, clientY) {
  const rect = canvas.getBoundingClientRect();
  return new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
}

/** Codes of the visible units under a point of the page (CSS pixels), nearest first. */
export function codesAt(clientX, clientY) {
  raycaster.setFromCamera(ndcOf(clientX, clientY), camera);
  const meshes = [...state.units.values()].filter((u) => u.mesh.visible).map((u) => u.mesh);
  const codes = [];
  for (const hit of raycaster.intersectObjects(meshes, false)) {
    if (hit.point.z > state.clipZ - state.origin[2] + 1e-6) continue; // cut away by the section
    const code = hit.object.userData.code;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** Where on the page (CSS pixels) a click selects the unit: a point of its solid that the
 * page's own raycast hits first, away from its edges; null when none is visible. */
export function screenPositionOf(code) {
  const u = state.units.get(code);
  if (!u || !u.mesh.visible) return null;
  camera.updateMatrixWorld();
  const pos = u.mesh.geometry.attributes.position;
  const rect = canvas.getBoundingClientRect();
  const a = new THREE.Vector3();
  const b = new THREE.Vector3();
  const c = new THREE.Vector3();
  const candidates = [];
  const weights = [[1 / 3, 1 / 3, 1 / 3], [0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]];
  for (let i = 0; i < pos.count; i += 3) {
    a.fromBufferAttribute(pos, i);
    b.fromBufferAttribute(pos, i + 1);
    c.fromBufferAttribute(pos, i + 2);
    const n = new THREE.Triangle(a, b, c).getNormal(new THREE.Vector3());
    const area = new THREE.Triangle(a, b, c).getArea();
    const score = area * (n.z > 0.9 ? 3 : 1);
    for (const [wa, wb, wc] of weights) {
      const p = new THREE.Vector3().addScaledVector(a, wa).addScaledVector(b, wb).addScaledVector(c, wc);
      candidates.push({ p, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score);
  const onCanvas = (x, y) => document.elementFromPoint(x, y) === canvas;
  for (const { p } of candidates.slice(0, 800)) {
    if (p.z > state.clipZ - state.origin[2] - 0.05) continue;
    const v = p.clone().project(camera);
    if (Math.abs(v.x) > 0.97 || Math.abs(v.y) > 0.97 || v.z > 1) continue;
    const x = Math.round(rect.left + ((v.x + 1) / 2) * rect.width);
    const y = Math.round(rect.top + ((1 - v.y) / 2) * rect.height);
    const around = [[0, 0], [3, 0], [-3, 0], [0, 3], [0, -3]];
    if (around.every(([dx, dy]) => onCanvas(x + dx, y + dy) && codesAt(x + dx, y + dy)[0] === code)) return { x, y };
  }
  return null;
}
