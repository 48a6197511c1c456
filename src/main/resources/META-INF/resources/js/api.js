// Calls the REST API with the signed-in token; errors carry the problem+json detail in words.
import {currentToken} from './auth.js';

/** A failed call: status and the service's problem document. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('the service answered ' + status));
    this.status = status;
    this.problem = problem;
  }
}

/** GET/POST/PUT under /api/v1. body: an object (sent as JSON) or a string (sent as text/plain). */
export async function api(path, {method = 'GET', body} = {}) {
  const headers = {Authorization: 'Bearer ' + currentToken()};
  let payload;
  if (typeof body === 'string') {
    headers['Content-Type'] = 'text/plain';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const r = await fetch('/api/v1' + path, {method, headers, body: payload});
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json().catch(() => null) : await r.text();
  if (r.status === 401) window.dispatchEvent(new CustomEvent('rulescaler:signed-out'));
  if (!r.ok) throw new ApiError(r.status, typeof data === 'object' ? data : {detail: data});
  return data;
}

export const enc = encodeURIComponent;
