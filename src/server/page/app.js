// Strata's 3D page: the register's units as solids (three.js), their register pages, tunnel
// queries and the register as of a past date. Plain ES modules, no framework, no bundler.
//
// Coordinates: the API speaks survey coordinates (x = easting, y = northing, z = elevation in
// the height datum, metres). Eastings and northings of ~10^5–10^6 m lose their centimetres in
// float32, so the extent's centre (x, y) is subtracted in float64 (JS numbers) before any
// Float32Array is built; z is kept as it is (elevations are small), so the section slider's
// value is the elevation itself. The scene's z axis is up (camera.up = +z).

import * as THREE from 'three';
import { OrbitControls } from '/page/vendor/OrbitControls.js';

// ---- constants ---------------------------------------------------------------------------

/** The colours of the page, one per stratum and per highlight (the legend shows them). */
const COLOURS = Object.freeze({
  above: '#e8833a', // 地上 above ground: warm orange
  surface: '#43a047', // 地表 surface: green
  under: '#5c6bd6', // 地下 under ground: blue-violet
  selected: '#ffffff', // the selected unit's edges
  tunnel: '#c9d3df', // the proposed tunnel
  met: '#e5383b', // units the tunnel meets: red
  clearance: '#f2c12e', // units within the tunnel's clearance only: yellow
});

/** How opaque each stratum's solids are: the surface layer, lying over the others, the least. */
const OPACITY = { above: 0.45, surface: 0.22, under: 0.6 };

const STRATUM_LABEL = { above: '地上 Above ground', surface: '地表 Surface', under: '地下 Under ground' };
const DIRECTIONS = [
  ['up', '上至 Up'], ['down', '下至 Down'], ['east', '东至 East'],
  ['west', '西至 West'], ['south', '南至 South'], ['north', '北至 North'],
];
const TOKEN_KEY = 'strata.token';
const PAGE_LIMIT = 1000;
const NO_CUT = 1e9;
const OBLIQUE = new THREE.Vector3(0.55, -0.9, 0.75).normalize();
const TOP = new THREE.Vector3(0, -0.0001, 1).normalize();

const nf = (digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const NF1 = nf(1);
const NF2 = nf(2);

// ---- state ----------------------------------------------------------------------------------

const state = {
  token: '',
  register: null,
  origin: [0, 0, 0],
  ground: 0,
  zRange: [0, 1],
  asOf: '',
  units: new Map(), // code -> { data, mesh, edges }
  selected: null,
  tunnel: null, // { object, met: [codes], clearance: [codes] }
  loadGen: 0,
  busy: false,
  loadOk: false,
  clipZ: NO_CUT,
  groundRank: 0,
  cameraSet: false,
  nowCount: undefined,
  drawing: false,
  drawPoints: [],
};

// ---- DOM helpers ------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** An element with text content and attributes; children are nodes or strings (as text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function facts(rows) {
  const dl = el('dl', { class: 'facts' });
  for (const [label, value, field] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(el('dt', { text: label }), el('dd', { 'data-field': field }, value));
  }
  return dl;
}

const fmt = (n, f = NF1) => (typeof n === 'number' && Number.isFinite(n) ? f.format(n) : '—');
const zText = (r) => (Array.isArray(r) && r.length === 2 ? `${fmt(r[0])} – ${fmt(r[1])} m` : '—');
const datumText = () => state.register?.height_datum ?? '';

/** A readable text of any JSON value (for fields this page does not know by name). */
function plain(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '是 yes' : '否 no';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : NF2.format(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(plain).join(', ');
  if (typeof v === 'object' && typeof v.name === 'string') return v.name;
  return Object.entries(v).map(([k, x]) => `${k}: ${plain(x)}`).join('; ');
}

/** The name of a holder, whatever shape it comes in. */
function holderName(h) {
  if (typeof h === 'string') return partyNames.get(h) ?? h;
  if (!h || typeof h !== 'object') return plain(h);
  const name = h.name ?? h.party?.name ?? h.holder ?? h.party ?? plain(h);
  const share = h.share ?? h.fraction;
  return share !== undefined && share !== null && share !== 1 ? `${plain(name)} (${plain(share)})` : plain(name);
}

/** Names of the parties (holders) by their id, from the register pages read so far. */
const partyNames = new Map();

function learnParties(page) {
  for (const r of page?.rights ?? []) {
    for (const h of r.holders ?? []) {
      if (h && typeof h === 'object' && typeof h.id === 'string' && typeof h.name === 'string') partyNames.set(h.id, h.name);
    }
  }
}

// ---- errors -------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(kind, detail, status) {
    super(`${kind}: ${detail}`);
    this.kind = kind;
    this.detail = detail;
    this.status = status;
  }
}

/** Shows an error in the panel, one per context (a newer one replaces it). */
function showError(context, err) {
  clearError(context);
  const kind = err instanceof ApiError ? err.kind : 'error';
  const detail = err instanceof ApiError ? err.detail : (err?.message ?? String(err));
  const status = err instanceof ApiError && err.status ? ` (HTTP ${err.status})` : '';
  const item = el('div', { class: 'error', 'data-context': context },
    el('strong', { text: `错误 Error${status}: ${kind}` }),
    el('span', { text: detail }),
    el('button', { type: 'button', class: 'close', 'aria-label': '关闭 Dismiss', text: '×', onclick: () => item.remove() }));
  $('errors').append(item);
}

function clearError(context) {
  for (const e of $('errors').querySelectorAll('.error')) if (e.dataset.context === context) e.remove();
}

// ---- API --------------------------------------------------------------------------------------

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError('network', `${path}: ${e.message}`, 0);
  }
  const text = await resp.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!resp.ok) throw errorOf(resp, json, text);
  if (json === null) throw new ApiError('bad-response', `${path} did not answer JSON`, resp.status);
  return json;
}

/** The error of an answer that is not 2xx: the API's {"error", "message", "detail"?}, where
 * detail is text or an object of particulars (the units a refusal names, …). */
function errorOf(resp, json, text = '') {
  const kind = json?.error ?? `HTTP ${resp.status}`;
  const parts = [json?.message, json?.detail === undefined || json?.detail === null ? null : plain(json.detail)];
  const detail = parts.filter(Boolean).join(' — ') || text.slice(0, 300) || resp.statusText;
  return new ApiError(kind, detail, resp.status);
}

const withAsOf = (params) => {
  if (state.asOf) params.set('as_of', state.asOf);
  return params;
};

// ---- the 3D view ---------------------------------------------------------------------------------

const canvas = $('canvas');
const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: true });
renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
renderer.localClippingEnabled = true;
renderer.setClearColor(0x000000, 0);

const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(40, 1, 0.5, 20000);
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
const clipPlane = new THREE.Plane(new THREE.Vector3(0, 0, -1), NO_CUT);
const clipPlanes = [clipPlane];

const world = new THREE.Group(); // ground, grid, section outline
const unitGroup = new THREE.Group();
const tunnelGroup = new THREE.Group();
const drawGroup = new THREE.Group();
scene.add(world, unitGroup, tunnelGroup, drawGroup);

let renderQueued = false;
function requestRender() {
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

function resize() {
  const { clientWidth: w, clientHeight: h } = $('view');
  if (!w || !h) return;
  renderer.setSize(w, h, false);
  camera.aspect = w / h;
  camera.updateProjectionMatrix();
  requestRender();
}
new ResizeObserver(resize).observe($('view'));

function disposeGroup(group) {
  for (const child of [...group.children]) {
    child.traverse((o) => {
      o.geometry?.dispose();
      o.material?.dispose();
    });
    group.remove(child);
  }
}

/** A flat-shaded geometry of an API mesh, in local coordinates. */
function meshGeometry(mesh) {
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

function solidMaterial(colour) {
  return new THREE.MeshLambertMaterial({
    color: colour, transparent: true, opacity: 0.5, side: THREE.DoubleSide, depthWrite: false,
    clippingPlanes: clipPlanes, polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1,
  });
}

function edgeMaterial(colour) {
  return new THREE.LineBasicMaterial({ color: colour, transparent: true, opacity: 0.95, clippingPlanes: clipPlanes });
}

/** Builds the ground plane and its grid at the register's ground, sized to the extent. */
function buildWorld() {
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

function sectionOutline() {
  return world.getObjectByName('section-outline');
}

// ---- units ----------------------------------------------------------------------------------------

function clearUnits() {
  disposeGroup(unitGroup);
  state.units.clear();
}

function addUnit(data) {
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
function styleUnits() {
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

/** Sets the ground's elevation when the source is at least as good as the one it came from:
 * 3 the API's plot ground, 2 derived from a query's depth below ground, 1 guessed from units. */
function setGround(z, rank) {
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
function groundIn(obj) {
  if (!obj || typeof obj !== 'object') return undefined;
  for (const v of [obj.ground, obj.ground_elevation, obj.plot_ground, obj.plot?.ground, obj.plot?.ground_elevation, obj.unit?.plot_ground]) {
    if (typeof v === 'number') return v;
  }
  const plots = (obj.plots ?? []).map((p) => p?.ground ?? p?.ground_elevation).filter((v) => typeof v === 'number');
  return plots.length ? plots.sort((a, b) => a - b)[Math.floor(plots.length / 2)] : undefined;
}

/** A guess of the ground from the units: where surface rights begin (else the lowest above
 * ground, else the top of the under ground, else 0). */
function groundOf(units) {
  const lows = (s) => units.filter((u) => u.stratum === s && Array.isArray(u.z_range)).map((u) => u.z_range);
  const surface = lows('surface');
  if (surface.length) return Math.min(...surface.map((r) => r[0]));
  const above = lows('above');
  if (above.length) return Math.min(...above.map((r) => r[0]));
  const under = lows('under');
  if (under.length) return Math.max(...under.map((r) => r[1]));
  return 0;
}

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
async function loadUnits() {
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
    renderUnitList(units);
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

/** A message over the view: centred, or at the top as a hint while drawing. */
function setMessage(text, hint = false) {
  const m = $('overlay-message');
  m.textContent = text;
  m.hidden = !text;
  m.classList.toggle('hint', hint);
}

// ---- camera ---------------------------------------------------------------------------------------

function sceneBox() {
  const box = new THREE.Box3();
  for (const u of state.units.values()) if (u.mesh.visible) box.union(u.mesh.geometry.boundingBox);
  for (const child of tunnelGroup.children) if (child.geometry?.boundingBox) box.union(child.geometry.boundingBox);
  if (box.isEmpty()) {
    const ext = state.register?.extent;
    const [ox, oy] = state.origin;
    if (ext) box.set(new THREE.Vector3(ext[0] - ox, ext[1] - oy, ext[2]), new THREE.Vector3(ext[3] - ox, ext[4] - oy, ext[5]));
    else box.set(new THREE.Vector3(-100, -100, -10), new THREE.Vector3(100, 100, 10));
  }
  return box;
}

/** Frames every visible unit (and the tunnel) from a direction. */
function fit(direction = OBLIQUE) {
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

// ---- the section (clipping plane) -----------------------------------------------------------------

function setupSection(units) {
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

function applySection() {
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

// ---- picking ----------------------------------------------------------------------------------------

const raycaster = new THREE.Raycaster();

/** A point of the page (CSS pixels) in the canvas's normalised device coordinates. */
function ndcOf(clientX, clientY) {
  const rect = canvas.getBoundingClientRect();
  return new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
}

/** Codes of the visible units under a point of the page (CSS pixels), nearest first. */
function codesAt(clientX, clientY) {
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
function screenPositionOf(code) {
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

let pressAt = null;
let lastClick = null;

canvas.addEventListener('pointerdown', (e) => {
  pressAt = { x: e.clientX, y: e.clientY };
});

canvas.addEventListener('pointerup', (e) => {
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
});

let hoverQueued = false;
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

// ---- the list of units (the view's units, for the keyboard too) ---------------------------------

const LIST_MAX = 300;

function renderUnitList(units) {
  const shown = units.slice(0, LIST_MAX);
  $('unit-list-count').textContent = units.length > LIST_MAX ? `(${LIST_MAX} / ${units.length})` : `(${units.length})`;
  $('unit-list').replaceChildren(...shown.map((u) => el('li', { 'data-code': u.code },
    el('button', {
      type: 'button', class: 'unit-row', 'aria-pressed': String(u.code === state.selected),
      title: u.code, onclick: () => selectUnit(u.code),
    },
    el('span', { class: 'swatch', style: `background:${COLOURS[u.stratum] ?? '#999'}` }),
    el('code', { text: u.code }),
    el('span', { class: 'unit-row-name', text: u.name ?? '' }),
    el('span', { class: 'unit-row-z muted', text: zText(u.z_range) })))));
}

function markListSelection() {
  for (const b of $('unit-list').querySelectorAll('button.unit-row')) {
    b.setAttribute('aria-pressed', String(b.parentElement.dataset.code === state.selected));
  }
}

// ---- unit details ---------------------------------------------------------------------------------

let detailGen = 0;

async function selectUnit(code) {
  state.selected = code;
  styleUnits();
  markListSelection();
  const box = $('unit-detail');
  const gen = ++detailGen;
  $('unit-hint').hidden = Boolean(code);
  if (!code) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.state = 'loading';
  box.replaceChildren(el('p', { class: 'muted', text: `${code} · 加载中… Loading…` }));
  try {
    const params = withAsOf(new URLSearchParams());
    const q = params.toString();
    const page = await api(`/api/units/${encodeURIComponent(code)}${q ? `?${q}` : ''}`);
    if (gen !== detailGen) return;
    learnParties(page);
    const g = groundIn(page) ?? groundIn(page.unit);
    if (g !== undefined) setGround(g, 3);
    box.replaceChildren(...renderDetail(code, page));
    box.dataset.code = code;
    box.dataset.state = 'done';
    clearError('unit');
  } catch (e) {
    if (gen !== detailGen) return;
    box.replaceChildren(el('p', { class: 'muted', text: `${code}: 无法加载 could not be loaded` }));
    box.dataset.state = 'error';
    showError('unit', e);
  }
}

function section(title, ...children) {
  return el('section', { class: 'detail-section' }, el('h3', { text: title }), ...children);
}

function renderDetail(code, page) {
  const unit = page.unit ?? {};
  const listed = state.units.get(code)?.data ?? {};
  const stratum = unit.stratum ?? listed.stratum;
  const m = unit.measures ?? {};
  const zr = [m.z_min ?? listed.z_range?.[0], m.z_max ?? listed.z_range?.[1]];
  const out = [];
  out.push(el('div', { class: 'unit-head' },
    el('span', { class: 'swatch', style: `background:${COLOURS[stratum] ?? '#999'}` }),
    el('code', { class: 'unit-code', 'data-field': 'code', text: unit.code ?? code })));
  const name = unit.name ?? listed.name;
  if (name) out.push(el('p', { class: 'unit-name', text: name }));
  if (state.asOf) out.push(el('p', { class: 'asof-note', text: `登记簿 ${state.asOf} 时的状态 · As the register stood on ${state.asOf}` }));
  out.push(facts([
    ['宗地 Plot', unit.plot ?? listed.plot, 'plot'],
    ['分层 Stratum', STRATUM_LABEL[stratum] ?? stratum, 'stratum'],
    ['状态 Status', unit.status ?? listed.status, 'status'],
    ['高程 Elevations', `${zText(zr)} ${datumText()}`, 'z'],
    ['体积 Volume', m.volume_m3 !== undefined ? `${fmt(m.volume_m3)} m³` : null, 'volume'],
    ['投影面积 Footprint', m.footprint_m2 !== undefined ? `${fmt(m.footprint_m2)} m²` : null, 'footprint'],
  ]));
  out.push(renderSupply(page.supply));
  out.push(renderRights(page.rights ?? []));
  for (const [key, title] of [['mortgages', '抵押 Mortgages'], ['seizures', '查封 Seizures']]) {
    const list = page[key] ?? [];
    if (list.length) out.push(section(`${title} (${list.length})`, genericList(list)));
  }
  out.push(renderCertificates(page.certificates ?? []));
  out.push(renderSixto(unit.sixto, page.sixto_computed, unit.code ?? code));
  out.push(renderHistory(page.history ?? []));
  out.push(renderLinks(page.links));
  return out;
}

const RIGHT_FIELDS = [
  ['right_type', '权利类型 Right'], ['nature', '权利性质 Nature'], ['certificate', '证书号 Certificate'],
];

/** Elevation bounds {lower, upper} as text. */
const boundsText = (b) => (b && typeof b === 'object' && 'lower' in b ? `${zText([b.lower, b.upper])} ${datumText()}` : null);

/** A term {begin, end} (dates) as text; null when empty. */
function termText(t) {
  if (!t || typeof t !== 'object') return t ? plain(t) : null;
  const entries = Object.entries(t).filter(([, v]) => v !== null && v !== undefined);
  if (!entries.length) return null;
  if ('begin' in t || 'end' in t) return `${plain(t.begin ?? '…')} – ${plain(t.end ?? '…')}`;
  return plain(t);
}

function renderRights(rights) {
  if (!rights.length) return section('权利 Rights', el('p', { class: 'muted', text: '无 None' }));
  const items = rights.map((r) => {
    const right = r.right ?? r;
    const holders = (Array.isArray(r.holders) ? r.holders : []).map(holderName);
    const current = r.current === undefined ? null : r.current;
    const known = new Set(['usage', 'holders', 'unit', 'bounds', 'term', ...RIGHT_FIELDS.map(([k]) => k)]);
    const extra = Object.entries(right).filter(([k, v]) => !known.has(k) && v !== null && typeof v !== 'object');
    const begin = typeof r.begin === 'number' ? `登簿 act #${r.begin}` : r.begin ? plain(r.begin) : null;
    return el('li', { class: current === false ? 'right past' : 'right' },
      el('div', { class: 'right-head' },
        el('strong', { 'data-field': 'usage', text: plain(right.usage ?? right.use ?? right.right_type ?? '—') }),
        current === null ? null : el('span', { class: current ? 'badge ok' : 'badge', text: current ? '现行 current' : '已失效 ended' })),
      facts([
        ['权利人 Holders', holders.join('; '), 'holders'],
        ...RIGHT_FIELDS.map(([k, label]) => [label, right[k] ? plain(right[k]) : null, k]),
        ['高程范围 Bounds', boundsText(right.bounds), 'bounds'],
        ['期限 Term', termText(right.term), 'term'],
        ['始于 Since', begin, 'begin'],
        ...extra.map(([k, v]) => [k, plain(v), k]),
      ]));
  });
  return section(`权利 Rights (${rights.length})`, el('ul', { class: 'rights' }, items));
}

function renderSupply(supply) {
  if (!supply || typeof supply !== 'object') return null;
  return section('供地 Land supply', facts([
    ['用途 Use', supply.usage ? plain(supply.usage) : null, 'supply-usage'],
    ['方式 Nature', supply.nature ? plain(supply.nature) : null, 'supply-nature'],
    ['合同 Contract', supply.contract ? plain(supply.contract) : null, 'supply-contract'],
    ['宗地 Plots', supply.plots ? plain(supply.plots) : null, 'supply-plots'],
    ['高程范围 Bounds', boundsText(supply.bounds), 'supply-bounds'],
    ['期限 Term', termText(supply.term), 'supply-term'],
  ]));
}

function genericList(list) {
  return el('ul', { class: 'plain-list' }, list.map((x) => el('li', { text: plain(x) })));
}

function renderCertificates(certs) {
  if (!certs.length) return section('证书 Certificates', el('p', { class: 'muted', text: '无 None' }));
  const rows = certs.map((entry) => {
    const [cert, current] = Array.isArray(entry) ? entry : [entry, entry?.current];
    const kind = cert?.kind === 'title' ? '不动产权证书 title' : cert?.kind ? plain(cert.kind) : null;
    return el('li', {},
      el('code', { text: plain(cert?.number ?? cert) }), ' ',
      kind ? el('span', { class: 'muted small', text: `${kind} ` }) : null,
      current === undefined ? null : el('span', { class: current ? 'badge ok' : 'badge', text: current ? '有效 valid' : '已注销 superseded' }));
  });
  return section('证书 Certificates', el('ul', { class: 'plain-list' }, rows));
}

/** A neighbour's code as the declared wording names it (GX00001) when it is of the same
 * cadastral zone; the full code otherwise. */
function shortCode(code, of) {
  return typeof code === 'string' && typeof of === 'string' && code.length === 28 && code.slice(0, 12) === of.slice(0, 12)
    ? code.slice(12, 19)
    : code;
}

function renderSixto(declared, computed, code) {
  const byDir = new Map((computed ?? []).map((c) => [c.direction, c]));
  const table = el('table', { class: computed ? 'sixto' : 'sixto declared-only' },
    el('thead', {}, el('tr', {}, el('th', { text: '方向' }), el('th', { text: '登记 Declared' }),
      computed ? el('th', { text: '计算 Computed' }) : null)),
    el('tbody', {}, DIRECTIONS.map(([dir, label]) => {
      const c = byDir.get(dir);
      let comp = '—';
      if (c) {
        const ns = (c.neighbours ?? []).map((n) => `${shortCode(n.unit, code)} (${fmt(n.shared_area_m2, NF1)} m²)`);
        const axis = dir === 'up' || dir === 'down' ? 'z' : dir === 'east' || dir === 'west' ? 'x' : 'y';
        const limit = typeof c.limit === 'number' ? `${axis} = ${axis === 'z' ? fmt(c.limit) : NF2.format(c.limit)} m` : '';
        comp = [limit, ...ns].filter(Boolean).join('\n') || '—';
      }
      return el('tr', {}, el('th', { scope: 'row', text: label }),
        el('td', { text: declared?.[dir] ?? '—' }),
        computed ? el('td', { text: comp }) : null);
    })));
  const note = computed ? null : el('p', { class: 'muted small', text: '历史视图不计算六至 · Computed directions are not given for a past date' });
  return section('六至 Six directions', table, note);
}

function renderHistory(history) {
  if (!history.length) return section('登簿历史 History', el('p', { class: 'muted', text: '无 None' }));
  const table = el('table', { class: 'history' },
    el('thead', {}, el('tr', {}, ['#', '业务 Act', '登簿人 Officer', '时间 Recorded'].map((t) => el('th', { text: t })))),
    el('tbody', {}, history.map((h) => el('tr', {},
      el('td', { text: plain(h.seq) }),
      el('td', {}, el('span', { text: h.name_zh ?? plain(h.act) }), h.number ? el('div', { class: 'muted small', text: plain(h.number) }) : null),
      el('td', { text: plain(h.officer ?? '—') }),
      el('td', { text: plain(h.recorded_at ?? '—').replace('T', ' ').replace(/(\.\d+)?Z$/, '') })))));
  return section(`登簿历史 History (${history.length})`, table);
}

function renderLinks(links) {
  if (!links) return null;
  const names = [
    ['map_svg', '三维宗地图 3D parcel map (SVG)'],
    ['map_pdf', '三维宗地图 3D parcel map (PDF)'],
    ['page_pdf', '登记簿页 Register page (PDF)'],
    ['certificate_pdf', '不动产权证书 Certificate (PDF)'],
  ];
  const known = names.filter(([k]) => links[k]);
  const others = Object.keys(links).filter((k) => !names.some(([n]) => n === k) && typeof links[k] === 'string').map((k) => [k, k]);
  const items = [...known, ...others].map(([k, label]) => el('li', {},
    el('a', { href: links[k], 'data-link': k, onclick: (e) => openDocument(e, links[k], label), text: label })));
  return section('文件 Documents', el('ul', { class: 'links' }, items));
}

/** Opens a document of the API in a new tab: fetched with the token (a plain link has none). */
async function openDocument(event, url, label) {
  event.preventDefault();
  const win = window.open('', '_blank');
  try {
    const resp = await fetch(url, { headers: { Authorization: `Bearer ${state.token}` } });
    if (!resp.ok) {
      const text = await resp.text();
      let j = null;
      try {
        j = JSON.parse(text);
      } catch {
        j = null;
      }
      throw errorOf(resp, j, `${label}: ${url}`);
    }
    const blobUrl = URL.createObjectURL(await resp.blob());
    if (win) win.location.href = blobUrl;
    else {
      const a = el('a', { href: blobUrl, download: url.split('/').pop() || 'document' });
      document.body.append(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  } catch (e) {
    win?.close();
    showError('document', e);
  }
}

// ---- tunnel ----------------------------------------------------------------------------------------

function parseCentreline(text) {
  const points = [];
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const nums = t.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n))) {
      throw new ApiError('input', `中心线第 ${i + 1} 行 line ${i + 1}: "${t}" is not "x y z"`, 0);
    }
    points.push(nums);
  });
  if (points.length < 2) throw new ApiError('input', '中心线至少两点 The centreline needs at least two points', 0);
  return points;
}

function positive(id, label) {
  const v = Number($(id).value);
  if (!Number.isFinite(v) || v <= 0) throw new ApiError('input', `${label} must be a positive number`, 0);
  return v;
}

function tunnelBody() {
  const centreline = parseCentreline($('tunnel-centreline').value);
  const shape = document.querySelector('input[name=shape]:checked').value;
  const section = shape === 'circle'
    ? { circle: { radius: positive('tunnel-radius', '半径 Radius') } }
    : { rectangle: { width: positive('tunnel-width', '宽 Width'), height: positive('tunnel-height', '高 Height') } };
  const clearance = Number($('tunnel-clearance').value || 0);
  if (!Number.isFinite(clearance) || clearance < 0) throw new ApiError('input', '净距 Clearance must be 0 or more', 0);
  const body = { tunnel: { centreline, section, clearance } };
  if (state.asOf) body.as_of = state.asOf;
  return body;
}

/** Fills the form from a request body (an uploaded file): {"tunnel": {...}} or the tunnel alone. */
function fillTunnelForm(json) {
  const t = json?.tunnel ?? json;
  if (!t || !Array.isArray(t.centreline)) throw new ApiError('input', 'the file has no "tunnel.centreline"', 0);
  $('tunnel-centreline').value = t.centreline.map((p) => p.join(' ')).join('\n');
  const circle = t.section?.circle;
  const rect = t.section?.rectangle;
  setShape(rect ? 'rectangle' : 'circle');
  if (circle) $('tunnel-radius').value = String(circle.radius);
  if (rect) {
    $('tunnel-width').value = String(rect.width);
    $('tunnel-height').value = String(rect.height);
  }
  $('tunnel-clearance').value = String(t.clearance ?? 0);
  drawPreview(t.centreline);
}

function setShape(shape) {
  for (const r of document.querySelectorAll('input[name=shape]')) r.checked = r.value === shape;
  $('shape-circle').hidden = shape !== 'circle';
  $('shape-rectangle').hidden = shape !== 'rectangle';
}

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

const codeOf = (m) => m.unit ?? m.code;

function showTunnel(result) {
  disposeGroup(tunnelGroup);
  clearDraw();
  if (result.mesh) {
    const g = meshGeometry(result.mesh);
    // Drawn last, over the units it passes through.
    const solid = new THREE.Mesh(g, new THREE.MeshLambertMaterial({
      color: COLOURS.tunnel, transparent: true, opacity: 0.8, side: THREE.DoubleSide, depthWrite: false, clippingPlanes: clipPlanes,
    }));
    solid.renderOrder = 4;
    const edges = new THREE.LineSegments(new THREE.EdgesGeometry(g, 20), edgeMaterial(0xf4f7fb));
    edges.renderOrder = 4.1;
    tunnelGroup.add(solid, edges);
  }
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
  const box = $('tunnel-result');
  resolveHolders([...met, ...near]);
  box.replaceChildren(
    facts([
      ['隧道体积 Tunnel volume', result.volume_m3 !== undefined ? `${fmt(result.volume_m3)} m³` : null, 'tunnel-volume'],
      ['相交单元 Units met', String(met.length), 'met-count'],
      ['净距内 Within clearance', result.within_clearance ? String(near.length) : null, 'clearance-count'],
    ]),
    el('h3', {}, el('span', { class: 'swatch', style: `background:${COLOURS.met}` }), '相交 Met by the tunnel'),
    meetingList('tunnel-met', met),
    ...(result.within_clearance
      ? [el('h3', {}, el('span', { class: 'swatch', style: `background:${COLOURS.clearance}` }), '净距内 Within the clearance'), meetingList('tunnel-clear', near)]
      : []),
  );
  requestRender();
}

/** The query names holders by their party id: read the register pages of the units listed
 * (up to 20) for the names, and put them in the list. */
async function resolveHolders(list) {
  const shown = state.tunnel;
  const unknown = list.filter((m) => Array.isArray(m.holders) && m.holders.some((h) => typeof h === 'string' && !partyNames.has(h)));
  for (const m of unknown.slice(0, 20)) {
    try {
      const q = withAsOf(new URLSearchParams()).toString();
      learnParties(await api(`/api/units/${encodeURIComponent(codeOf(m))}${q ? `?${q}` : ''}`));
    } catch {
      return; // the ids stay; the list is still right
    }
  }
  if (state.tunnel !== shown) return;
  for (const m of list) {
    const dd = document.querySelector(`#tunnel-result li[data-code="${CSS.escape(codeOf(m))}"] [data-field=holders]`);
    if (dd && Array.isArray(m.holders)) dd.textContent = m.holders.map(holderName).join('; ');
  }
}

function meetingList(id, list) {
  if (!list.length) return el('p', { id, class: 'muted', text: '无 None' });
  return el('ol', { id, class: 'meetings' }, list.map((m) => {
    const code = codeOf(m);
    const holders = Array.isArray(m.holders) ? m.holders.map(holderName).join('; ') : plain(m.holders);
    const depth = m.depth_below_ground_m;
    return el('li', { 'data-code': code },
      el('button', { type: 'button', class: 'link', title: '查看登记信息 Show its register page', onclick: () => { selectUnit(code); showTab('unit'); }, text: code }),
      facts([
        ['用途 Use', m.usage ? plain(m.usage) : null, 'usage'],
        ['权利人 Holders', holders, 'holders'],
        ['共有体积 Shared volume', m.overlap_volume_m3 !== undefined ? `${fmt(m.overlap_volume_m3)} m³` : null, 'overlap'],
        ['共有高程 Shared elevations', m.shared_z_range ? `${zText(m.shared_z_range)} ${datumText()}` : null, 'shared-z'],
        ['地面以下 Below ground', depth !== undefined && depth !== null ? `${fmt(depth)} m` : null, 'depth'],
        ['单元高程 Unit elevations', m.z_range ? zText(m.z_range) : null, 'z'],
      ]));
  }));
}

function clearTunnel() {
  disposeGroup(tunnelGroup);
  state.tunnel = null;
  const box = $('tunnel-result');
  box.replaceChildren();
  delete box.dataset.state;
  styleUnits();
}

// Drawing the centreline by clicking points at an elevation.

function setDrawing(on) {
  state.drawing = on;
  const b = $('btn-draw');
  b.setAttribute('aria-pressed', String(on));
  b.textContent = on ? '✓ 完成 Done' : '✎ 绘制 Draw';
  canvas.style.cursor = on ? 'crosshair' : '';
  if (on) {
    state.drawPoints = [];
    $('tunnel-centreline').value = '';
    setMessage('点击视图添加中心线点，完成后点击“完成” · Click in the view to add centreline points, then Done', true);
  } else setMessage('');
}

function addDrawPoint(clientX, clientY) {
  raycaster.setFromCamera(ndcOf(clientX, clientY), camera);
  const z = Number($('draw-z').value) || 0;
  const plane = new THREE.Plane(new THREE.Vector3(0, 0, 1), -(z - state.origin[2]));
  const p = raycaster.ray.intersectPlane(plane, new THREE.Vector3());
  if (!p) return;
  const [ox, oy] = state.origin;
  const point = [p.x + ox, p.y + oy, z].map((n) => Math.round(n * 100) / 100);
  state.drawPoints.push(point);
  $('tunnel-centreline').value = state.drawPoints.map((q) => q.join(' ')).join('\n');
  drawPreview(state.drawPoints);
}

function clearDraw() {
  disposeGroup(drawGroup);
  requestRender();
}

function drawPreview(points) {
  clearDraw();
  const [ox, oy, oz] = state.origin;
  const pts = points.filter((p) => p.length === 3).map((p) => new THREE.Vector3(p[0] - ox, p[1] - oy, p[2] - oz));
  if (!pts.length) return;
  const mat = new THREE.LineBasicMaterial({ color: 0x7fd3ff });
  drawGroup.add(new THREE.Line(new THREE.BufferGeometry().setFromPoints(pts), mat));
  const dots = new THREE.Points(new THREE.BufferGeometry().setFromPoints(pts), new THREE.PointsMaterial({ color: 0x7fd3ff, size: 7, sizeAttenuation: false }));
  drawGroup.add(dots);
  requestRender();
}

// ---- register, sign-in, date --------------------------------------------------------------------

/** The number of units shown, with the number now when the view is of a past date. */
function unitsText(shown) {
  const now = state.register?.units ?? state.nowCount;
  if (!state.asOf) return String(shown ?? now ?? '—');
  return `${shown} (${state.asOf})${typeof now === 'number' ? ` / ${now} 现在 now` : ''}`;
}

function updateRegisterInfo(shown) {
  const r = state.register;
  if (!r) return;
  const head = r.head;
  $('register-info').replaceChildren(...facts([
    ['项目 Location', r.location, 'location'],
    ['坐标系 CRS', r.crs_epsg ? `EPSG:${r.crs_epsg}` : null, 'crs'],
    ['高程基准 Height datum', r.height_datum, 'datum'],
    ['单元 Units', unitsText(shown), 'units'],
    ['最近登簿 Last act', head ? `#${head.seq} · ${plain(head.recorded_at).replace('T', ' ').replace(/(\.\d+)?Z$/, '')}` : '—', 'head'],
  ]).childNodes);
  $('title-register').textContent = [r.location, r.crs_epsg ? `EPSG:${r.crs_epsg}` : null, r.height_datum].filter(Boolean).join(' · ');
  const badge = $('title-asof');
  badge.hidden = !state.asOf;
  badge.textContent = state.asOf ? `历史视图 As of ${state.asOf}` : '';
}

async function signIn(token) {
  state.token = token;
  state.busy = true;
  $('btn-signin').disabled = true;
  try {
    const reg = await api('/api/register');
    sessionStorage.setItem(TOKEN_KEY, token);
    clearError('signin');
    state.register = reg;
    state.groundRank = 0;
    state.nowCount = undefined;
    const ext = reg.extent;
    state.origin = ext ? [(ext[0] + ext[3]) / 2, (ext[1] + ext[4]) / 2, 0] : [0, 0, 0];
    $('signin-form').hidden = true;
    $('signed-in').hidden = false;
    $('register').hidden = false;
    $('tabs').hidden = false;
    showTab('unit');
    updateRegisterInfo(reg.units);
    await loadUnits();
  } catch (e) {
    state.busy = false;
    state.token = '';
    if (e.status === 401 || e.status === 403) sessionStorage.removeItem(TOKEN_KEY);
    showError('signin', e);
  } finally {
    $('btn-signin').disabled = false;
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { token: '', register: null, selected: null, tunnel: null, asOf: '', loadOk: false, cameraSet: false });
  state.loadGen++;
  clearUnits();
  disposeGroup(tunnelGroup);
  clearDraw();
  $('unit-detail').replaceChildren();
  $('tunnel-result').replaceChildren();
  $('asof').value = '';
  $('token').value = '';
  $('signin-form').hidden = false;
  $('signed-in').hidden = true;
  $('register').hidden = true;
  $('tabs').hidden = true;
  $('pane-unit').hidden = true;
  $('pane-tunnel').hidden = true;
  $('title-register').textContent = '未登录 Not signed in';
  $('title-asof').hidden = true;
  $('errors').replaceChildren();
  $('section').disabled = true;
  setMessage('请登录以查看登记簿 · Sign in to view the register');
  buildWorld();
  requestRender();
}

async function setAsOf(date) {
  state.asOf = date;
  $('asof').value = date;
  const hadTunnel = Boolean(state.tunnel);
  clearTunnel();
  if (hadTunnel) $('tunnel-result').replaceChildren(el('p', { class: 'muted', text: '日期已变更，请重新查询 · The date changed: query again' }));
  updateRegisterInfo(state.units.size);
  await loadUnits();
  if (state.selected) selectUnit(state.selected);
}

function showTab(name) {
  for (const [tab, pane] of [['tab-unit', 'pane-unit'], ['tab-tunnel', 'pane-tunnel']]) {
    const on = tab === `tab-${name}`;
    $(tab).setAttribute('aria-selected', String(on));
    $(tab).tabIndex = on ? 0 : -1;
    $(pane).hidden = !on;
  }
}

// ---- wiring ---------------------------------------------------------------------------------------

function wire() {
  for (const [key, colour] of Object.entries(COLOURS)) {
    for (const s of document.querySelectorAll(`[data-swatch="${key}"]`)) s.style.background = colour;
  }
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (token) signIn(token);
  });
  $('btn-signout').addEventListener('click', signOut);
  $('asof').addEventListener('change', () => {
    const v = $('asof').value;
    if (v !== state.asOf) setAsOf(v);
  });
  $('btn-now').addEventListener('click', () => {
    if (state.asOf) setAsOf('');
  });
  $('asof-form').addEventListener('submit', (e) => e.preventDefault());
  $('btn-fit').addEventListener('click', () => fit(OBLIQUE));
  $('btn-top').addEventListener('click', () => fit(TOP));
  $('btn-3d').addEventListener('click', () => fit(OBLIQUE));
  $('section').addEventListener('input', applySection);
  for (const box of document.querySelectorAll('input[data-stratum]')) box.addEventListener('change', styleUnits);
  $('tab-unit').addEventListener('click', () => showTab('unit'));
  $('tab-tunnel').addEventListener('click', () => showTab('tunnel'));
  $('tabs').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const next = $('tab-unit').getAttribute('aria-selected') === 'true' ? 'tunnel' : 'unit';
    showTab(next);
    $(`tab-${next}`).focus();
  });
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

/** The hook the browser test drives the page with. */
window.strataTest = Object.freeze({
  /** Resolves once the units are loaded and drawn: true, or false when loading failed. */
  ready() {
    return new Promise((resolve) => {
      const check = () => (state.busy ? setTimeout(check, 50) : resolve(state.loadOk));
      check();
    });
  },
  unitCount: () => state.units.size,
  screenPositionOf,
  /** The codes of the units under a point of the page, nearest first (the click's raycast). */
  codesAt,
  /** The codes the last tunnel query highlighted: met first, then those within clearance. */
  highlighted: () => [...(state.tunnel?.met ?? []), ...(state.tunnel?.clearance ?? [])],
  selected: () => state.selected,
});

wire();
buildWorld();
resize();
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  $('token').value = saved;
  signIn(saved);
}
