// The rules pane: the district's planning rules (`strata serve --rules`) checked on a plot of
// the register, with a layer proposed on it: the plot selector (the plots of the units
// loaded), the check (POST /api/rules) and its answer, clearing it; the wiring of the pane.

import { state } from './state.js';
import { $, el } from './dom.js';
import { api } from './api.js';
import { showError, clearError } from './messages.js';
import { onTabShown } from './tabs.js';
import { proposalOf, drawProposal, clearProposal } from './rules-volume.js';
import { renderRules, renderNotConfigured } from './rules-result.js';

/** Whether the officer chose the plot: until then it follows the selected unit. */
let picked = false;

/** The plot of the selected unit, else the first plot listed. */
function defaultPlot(plots) {
  const mine = state.units.get(state.selected)?.data?.plot;
  return plots.includes(mine) ? mine : plots[0];
}

/** Lists the plots of the units loaded in the selector (keeping the one chosen, if listed). */
export function updatePlots() {
  const select = $('rules-plot');
  const plots = [...new Set([...state.units.values()].map((u) => u.data.plot).filter(Boolean))].sort();
  if (!plots.includes(select.value)) picked = false;
  const keep = picked ? select.value : defaultPlot(plots);
  select.replaceChildren(...(plots.length
    ? plots.map((p) => el('option', { value: p, text: p }))
    : [el('option', { value: '', text: '无宗地 No plots' })]));
  select.value = keep ?? '';
  select.disabled = !plots.length;
  $('btn-rules-check').disabled = !plots.length;
}

async function checkRules() {
  const box = $('rules-result');
  let body;
  try {
    const proposal = proposalOf();
    body = { plot: $('rules-plot').value, ...(proposal ? { proposal } : {}) };
  } catch (e) {
    showError('rules', e);
    return;
  }
  if (!body.plot) return;
  clearProposal();
  state.rules = null;
  box.dataset.state = 'loading';
  box.replaceChildren(el('p', { class: 'muted', text: `${body.plot} · 检查中… Checking…` }));
  $('btn-rules-check').disabled = true;
  try {
    const result = await api('/api/rules', { method: 'POST', body });
    clearError('rules');
    renderRules(result, body);
    const drawn = drawProposal(body.proposal?.volume);
    state.rules = { plot: body.plot, proposal: body.proposal?.volume ?? null, broken: result.broken, drawn };
    box.dataset.state = 'done';
    box.scrollIntoView({ block: 'start', behavior: 'instant' });
  } catch (e) {
    answerFailed(e);
  } finally {
    $('btn-rules-check').disabled = $('rules-plot').disabled;
  }
}

/** A check that failed: the service's "no rules" in the pane, any other error in the panel. */
function answerFailed(e) {
  const box = $('rules-result');
  if (e.kind === 'not_configured') {
    clearError('rules');
    renderNotConfigured(e.detail);
    box.dataset.state = 'not-configured';
    return;
  }
  box.replaceChildren();
  box.dataset.state = 'error';
  showError('rules', e);
}

export function clearRules() {
  clearProposal();
  state.rules = null;
  const box = $('rules-result');
  box.replaceChildren();
  delete box.dataset.state;
}

/** The rules pane's form: the plot chosen, check, clear; the plot follows the selection. */
export function wireRules() {
  $('rules-plot').addEventListener('change', () => {
    picked = true;
  });
  $('rules-form').addEventListener('submit', (e) => {
    e.preventDefault();
    checkRules();
  });
  $('btn-rules-clear').addEventListener('click', () => {
    clearRules();
    clearError('rules');
  });
  onTabShown('rules', () => {
    if (!picked) updatePlots();
  });
}
