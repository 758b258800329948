// The tunnel form: the centreline typed, drawn in the view (points clicked at an elevation)
// or filled from an uploaded request, the section's shape and the clearance, read into the
// body of a query.

import * as THREE from 'three';
import { state } from './state.js';
import { $ } from './dom.js';
import { ApiError } from './api.js';
import { setMessage } from './messages.js';
import { canvas, camera, drawGroup, disposeGroup, requestRender } from './scene.js';
import { raycaster, ndcOf } from './picking.js';

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

export function tunnelBody() {
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
export function fillTunnelForm(json) {
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

export function setShape(shape) {
  for (const r of document.querySelectorAll('input[name=shape]')) r.checked = r.value === shape;
  $('shape-circle').hidden = shape !== 'circle';
  $('shape-rectangle').hidden = shape !== 'rectangle';
}

// Drawing the centreline by clicking points at an elevation.

export function setDrawing(on) {
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

export function addDrawPoint(clientX, clientY) {
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

export function clearDraw() {
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
