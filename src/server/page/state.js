// The page's shared state: who is signed in, the register and its local origin, the date
// viewed, the units drawn, the selection, the tunnel's result, the last rules check and the
// loading flags. One object, read and written by the other modules.

import { NO_CUT } from './constants.js';

export const state = {
  token: '',
  register: null,
  origin: [0, 0, 0],
  ground: 0,
  zRange: [0, 1],
  asOf: '',
  units: new Map(), // code -> { data, mesh, edges }
  selected: null,
  tunnel: null, // { object, met: [codes], clearance: [codes] }
  rules: null, // the last rules check: { plot, proposal (its volume spec or null), broken, drawn }
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
