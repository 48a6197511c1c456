// The token and what its role may do. The token is kept in localStorage only when "remember" is
// ticked; otherwise only in this tab's memory. Hiding is a courtesy: the server refuses anyway.

const KEY = 'rulescaler.token';
let token = null;
let me = null;

/** The remembered token, if any. */
export function remembered() {
  return localStorage.getItem(KEY);
}

export function currentToken() {
  return token;
}

export function currentUser() {
  return me;
}

/** Asks the service who the token is; keeps it (and remembers it if asked). Throws with the reason. */
export async function signIn(candidate, remember) {
  const r = await fetch('/api/v1/me', {headers: {Authorization: 'Bearer ' + candidate}});
  if (r.status === 401) throw new Error('this token is not known (or was revoked)');
  if (!r.ok) throw new Error('the service answered ' + r.status);
  me = await r.json();
  token = candidate;
  if (remember) localStorage.setItem(KEY, candidate);
  else localStorage.removeItem(KEY);
  return me;
}

export function signOut() {
  token = null;
  me = null;
  localStorage.removeItem(KEY);
}

/** Whether the signed-in token holds role (admin implies operator implies viewer). */
export function can(role) {
  return !!me && me.roles.includes(role);
}

/** Hides every element marked data-needs="role" that the current role may not use. */
export function applyRoles(root = document) {
  for (const el of root.querySelectorAll('[data-needs]')) el.hidden = !can(el.dataset.needs);
}
