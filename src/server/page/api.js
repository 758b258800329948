// The service's API: JSON requests and documents fetched with the bearer token, the API's
// errors as ApiError, and the as-of date added to a query.

import { state } from './state.js';
import { plain } from './dom.js';

export class ApiError extends Error {
  constructor(kind, detail, status) {
    super(`${kind}: ${detail}`);
    this.kind = kind;
    this.detail = detail;
    this.status = status;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
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

export const withAsOf = (params) => {
  if (state.asOf) params.set('as_of', state.asOf);
  return params;
};

/** A document of the API (a PDF, an SVG) as a blob, fetched with the token (a plain link
 * has none). */
export async function fetchDocument(url, label) {
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
  return resp.blob();
}
