// The ground: its plane and grid at the ground's elevation, sized to the register's extent,
// with the section's outline (hidden until a cut), and that elevation from the best source
// known (the API's plot ground, a query's depth below ground, a guess from the units).

import * as THREE from 'three';
import { state } from './state.js';
import { world, clipPlanes, disposeGroup } from './scene.js';
import { applySection } from './section.js';

/** Builds the ground plane and its grid at the register's ground, sized to the extent. */
export function buildWorld() {
  disposeGroup(world);
  const ext = state.register?.extent;
  const span = ext ? Math.max(ext[3] - ext[0], ext[4] - ext[1], 50) : 500;
  const step = span > 2000 ? 100 : span > 400 ? 50 : 10;
  const size = Math.ceil((span * 2.2) / step) * step;
  const ground = new THREE.Mesh(
    new THREE.PlaneGeometry(size, size),
    new THREE.MeshBasicMaterial({ color: 0x8c9a7c, transparent: true, opacity: 0.18, depthWrite: false, side: THREE.DoubleSide, clippingPlanes: clipPlanes }),
  );
  ground.position.z = state.ground;
  ground.renderOrder = 1;
  const grid = new THREE.GridHelper(size, size / step, 0x8d99a6, 0x5d6773);
  grid.rotation.x = Math.PI / 2;
  grid.position.z = state.ground + 0.01;
  grid.material.transparent = true;
  grid.material.opacity = 0.35;
  grid.material.depthWrite = false;
  grid.material.clippingPlanes = clipPlanes;
  grid.renderOrder = 1.1;
  world.add(ground, grid);
  if (ext) {
    const [x0, y0, , x1, y1] = ext;
    const [ox, oy] = state.origin;
    const ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]].map(([x, y]) => new THREE.Vector3(x - ox, y - oy, 0));
    const outline = new THREE.LineLoop(
      new THREE.BufferGeometry().setFromPoints(ring),
      new THREE.LineBasicMaterial({ color: 0x7fd3ff, transparent: true, opacity: 0.8 }),
    );
    outline.name = 'section-outline';
    outline.visible = false;
    world.add(outline);
  }
}

/** Sets the ground's elevation when the source is at least as good as the one it came from:
 * 3 the API's plot ground, 2 derived from a query's depth below ground, 1 guessed from units. */
export function setGround(z, rank) {
  if (typeof z !== 'number' || !Number.isFinite(z) || rank < state.groundRank) return;
  const changed = z !== state.ground;
  state.ground = z;
  state.groundRank = rank;
  if (changed) {
    buildWorld();
    applySection();
  }
}

/** The plot ground an API answer gives, under any of the names it may have. */
export function groundIn(obj) {
  if (!obj || typeof obj !== 'object') return undefined;
  for (const v of [obj.ground, obj.ground_elevation, obj.plot_ground, obj.plot?.ground, obj.plot?.ground_elevation, obj.unit?.plot_ground]) {
    if (typeof v === 'number') return v;
  }
  const plots = (obj.plots ?? []).map((p) => p?.ground ?? p?.ground_elevation).filter((v) => typeof v === 'number');
  return plots.length ? plots.sort((a, b) => a - b)[Math.floor(plots.length / 2)] : undefined;
}

/** A guess of the ground from the units: where surface rights begin (else the lowest above
 * ground, else the top of the under ground, else 0). */
export function groundOf(units) {
  const lows = (s) => units.filter((u) => u.stratum === s && Array.isArray(u.z_range)).map((u) => u.z_range);
  const surface = lows('surface');
  if (surface.length) return Math.min(...surface.map((r) => r[0]));
  const above = lows('above');
  if (above.length) return Math.min(...above.map((r) => r[0]));
  const under = lows('under');
  if (under.length) return Math.max(...under.map((r) => r[1]));
  return 0;
}
