// Reads a .glb with the Khronos glTF validator and with three.js's GLTFLoader, and prints
// what they found as one line of JSON: { errors, warnings, meshes, triangles, extras }.
//
//   node tools/gltf/check.mjs FILE.glb
import { readFileSync } from 'node:fs';
import validator from 'gltf-validator';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

const bytes = readFileSync(process.argv[2]);
const report = await validator.validateBytes(new Uint8Array(bytes));
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
const scene = await new Promise((resolve, reject) =>
  new GLTFLoader().parse(buffer, '', (g) => resolve(g.scene), reject));
let meshes = 0;
let triangles = 0;
scene.traverse((o) => {
  if (o.isMesh) {
    meshes += 1;
    triangles += o.geometry.index.count / 3;
  }
});
console.log(JSON.stringify({
  errors: report.issues.numErrors,
  warnings: report.issues.numWarnings,
  messages: report.issues.messages.slice(0, 5),
  meshes,
  triangles,
  extras: scene.userData,
}));
