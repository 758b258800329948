// The three.js scene: renderer, camera and orbit controls, lights, the section's clipping
// plane, the groups the page draws into, rendering on demand with the north arrow, the
// meshes and materials of the API's solids, and framing the camera on what is shown.
//
// Coordinates: the API speaks survey coordinates (x = easting, y = northing, z = elevation in
// the height datum, metres). Eastings and northings of ~10^5–10^6 m lose their centimetres in
// float32, so the extent's centre (x, y) is subtracted in float64 (JS numbers) before any
// Float32Array is built; z is kept as it is (elevations are small), so the section slider's
// value is the elevation itself. The scene's z axis is up (camera.up = +z).

import * as THREE from 'three';
import { OrbitControls } from './vendor/OrbitControls.js';
import { NO_CUT } from './constants.js';
import { state } from './state.js';
import { $ } from './dom.js';

/** The directions the view is framed from: oblique, and from above. */
export const OBLIQUE = new THREE.Vector3(0.55, -0.9, 0.75).normalize();
export const TOP = new THREE.Vector3(0, -0.0001, 1).normalize();

export const canvas = $('canvas');
export const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: true });
renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
renderer.localClippingEnabled = true;
renderer.setClearColor(0x000000, 0);

export const scene = new THREE.Scene();
export const camera = new THREE.PerspectiveCamera(40, 1, 0.5, 20000);
camera.up.set(0, 0, 1);
camera.position.set(300, -500, 400);
const controls = new OrbitControls(camera, canvas);
controls.screenSpacePanning = true;
controls.maxPolarAngle = Math.PI * 0.98;

scene.add(new THREE.HemisphereLight(0xf2f5ff, 0x4a4438, 1.6));
const sun = new THREE.DirectionalLight(0xffffff, 1.6);
sun.position.set(0.4, -0.6, 1);
scene.add(sun);

/** The section: everything above the plane's elevation is cut away (z ≤ clipZ is kept). */
export const clipPlane = new THREE.Plane(new THREE.Vector3(0, 0, -1), NO_CUT);
export const clipPlanes = [clipPlane];

export const world = new THREE.Group(); // ground, grid, section outline
export const unitGroup = new THREE.Group();
export const tunnelGroup = new THREE.Group();
export const drawGroup = new THREE.Group();
export const proposalGroup = new THREE.Group(); // the layer proposed in the rules pane
scene.add(world, unitGroup, tunnelGroup, drawGroup, proposalGroup);

let renderQueued = false;
export function requestRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderer.render(scene, camera);
    updateCompass();
  });
}

/** Turns the north arrow to where north (+y) points on the screen. */
function updateCompass() {
  const a = controls.target.clone().project(camera);
  const b = controls.target.clone().add(new THREE.Vector3(0, 10, 0)).project(camera);
  const dx = (b.x - a.x) * canvas.clientWidth;
  const dy = -(b.y - a.y) * canvas.clientHeight;
  if (Math.hypot(dx, dy) < 1e-9) return;
  const deg = (Math.atan2(dx, -dy) * 180) / Math.PI;
  $('compass-arrow').style.transform = `rotate(${deg.toFixed(1)}deg)`;
}
controls.addEventListener('change', requestRender);

export function resize() {
  const { clientWidth: w, clientHeight: h } = $('view');
  if (!w || !h) return;
  renderer.setSize(w, h, false);
  camera.aspect = w / h;
  camera.updateProjectionMatrix();
  requestRender();
}
new ResizeObserver(resize).observe($('view'));

export function disposeGroup(group) {
  for (const child of [...group.children]) {
    child.traverse((o) => {
      o.geometry?.dispose();
      o.material?.dispose();
    });
    group.remove(child);
  }
}

/** A flat-shaded geometry of an API mesh, in local coordinates. */
export function meshGeometry(mesh) {
  const [ox, oy, oz] = state.origin;
  const verts = mesh?.vertices ?? [];
  const tris = mesh?.triangles ?? [];
  const pos = new Float32Array(tris.length * 9);
  let k = 0;
  for (const tri of tris) {
    for (const i of tri) {
      const v = verts[i];
      pos[k++] = v[0] - ox;
      pos[k++] = v[1] - oy;
      pos[k++] = v[2] - oz;
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  g.computeVertexNormals();
  g.computeBoundingBox();
  g.computeBoundingSphere();
  return g;
}

export function solidMaterial(colour) {
  return new THREE.MeshLambertMaterial({
    color: colour, transparent: true, opacity: 0.5, side: THREE.DoubleSide, depthWrite: false,
    clippingPlanes: clipPlanes, polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1,
  });
}

export function edgeMaterial(colour) {
  return new THREE.LineBasicMaterial({ color: colour, transparent: true, opacity: 0.95, clippingPlanes: clipPlanes });
}

// ---- framing ------------------------------------------------------------------------------------

function sceneBox() {
  const box = new THREE.Box3();
  for (const u of state.units.values()) if (u.mesh.visible) box.union(u.mesh.geometry.boundingBox);
  for (const child of [...tunnelGroup.children, ...proposalGroup.children]) {
    if (child.geometry?.boundingBox) box.union(child.geometry.boundingBox);
  }
  if (box.isEmpty()) {
    const ext = state.register?.extent;
    const [ox, oy] = state.origin;
    if (ext) box.set(new THREE.Vector3(ext[0] - ox, ext[1] - oy, ext[2]), new THREE.Vector3(ext[3] - ox, ext[4] - oy, ext[5]));
    else box.set(new THREE.Vector3(-100, -100, -10), new THREE.Vector3(100, 100, 10));
  }
  return box;
}

/** Frames every visible unit (and the tunnel, the proposed layer) from a direction. */
export function fit(direction = OBLIQUE) {
  const sphere = sceneBox().getBoundingSphere(new THREE.Sphere());
  const r = Math.max(sphere.radius, 5);
  const fov = THREE.MathUtils.degToRad(camera.fov);
  const hfov = 2 * Math.atan(Math.tan(fov / 2) * camera.aspect);
  const dist = (r / Math.sin(Math.min(fov, hfov) / 2)) * 1.02;
  controls.target.copy(sphere.center);
  camera.position.copy(sphere.center).addScaledVector(direction, dist);
  camera.near = Math.max(dist / 500, 0.05);
  camera.far = dist * 20;
  camera.updateProjectionMatrix();
  controls.maxDistance = dist * 8;
  controls.update();
  requestRender();
}
