// Signing in with a bearer token (kept for the browser tab's session), reading the register,
// and signing out back to the empty view.

import { state } from './state.js';
import { $ } from './dom.js';
import { api } from './api.js';
import { showError, clearError, setMessage } from './messages.js';
import { tunnelGroup, disposeGroup, requestRender } from './scene.js';
import { buildWorld } from './world.js';
import { clearUnits } from './units.js';
import { updateRegisterInfo } from './register.js';
import { loadUnits } from './load.js';
import { clearDraw } from './tunnel-form.js';
import { showTab } from './tabs.js';
import { clearRules, updatePlots } from './rules.js';

const TOKEN_KEY = 'strata.token';

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
  clearRules();
  updatePlots();
  $('asof').value = '';
  $('token').value = '';
  $('signin-form').hidden = false;
  $('signed-in').hidden = true;
  $('register').hidden = true;
  $('tabs').hidden = true;
  $('pane-unit').hidden = true;
  $('pane-tunnel').hidden = true;
  $('pane-rules').hidden = true;
  $('title-register').textContent = '未登录 Not signed in';
  $('title-asof').hidden = true;
  $('errors').replaceChildren();
  $('section').disabled = true;
  setMessage('请登录以查看登记簿 · Sign in to view the register');
  buildWorld();
  requestRender();
}

/** The sign-in form and the sign-out button. */
export function wireSession() {
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (token) signIn(token);
  });
  $('btn-signout').addEventListener('click', signOut);
}

/** Signs in again with the token this browser tab's session kept, if any. */
export function restoreSession() {
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    $('token').value = saved;
    signIn(saved);
  }
}
