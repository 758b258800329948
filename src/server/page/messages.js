// What the page tells the officer: errors in the panel (one per context) and the message
// over the view (loading, no units, the hint while drawing).

import { $, el } from './dom.js';
import { ApiError } from './api.js';

/** Shows an error in the panel, one per context (a newer one replaces it). */
export function showError(context, err) {
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

export function clearError(context) {
  for (const e of $('errors').querySelectorAll('.error')) if (e.dataset.context === context) e.remove();
}

/** A message over the view: centred, or at the top as a hint while drawing. */
export function setMessage(text, hint = false) {
  const m = $('overlay-message');
  m.textContent = text;
  m.hidden = !text;
  m.classList.toggle('hint', hint);
}
