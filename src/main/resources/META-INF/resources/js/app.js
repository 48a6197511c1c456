// The console's shell: sign-in, the header, and a hash router (#/, #/clusters/<name>, #/rules).
import {$, fill, status} from './dom.js';
import {applyRoles, currentUser, remembered, signIn, signOut} from './auth.js';
import * as overview from './overview.js';
import * as cluster from './cluster.js';
import * as rules from './rules.js';

let unmount = null;

function route() {
  if (unmount) unmount();
  unmount = null;
  const page = $('#page');
  fill(page);
  status('');
  if (!currentUser()) return showSignIn();
  $('#sign-in').hidden = true;
  const hash = location.hash || '#/';
  const m = hash.match(/^#\/clusters\/([^/]+)$/);
  let which = 'overview';
  if (m) {
    which = 'overview';
    unmount = cluster.mount(page, decodeURIComponent(m[1]));
  } else if (hash === '#/rules') {
    which = 'rules';
    unmount = rules.mount(page);
  } else {
    unmount = overview.mount(page);
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.toggleAttribute('aria-current', a.dataset.nav === which);
  }
  applyRoles();
}

function showSignIn() {
  $('#nav').hidden = true;
  $('#who').hidden = true;
  $('#sign-in').hidden = false;
  $('#token').focus();
}

function showUser(me) {
  $('#who-name').textContent = me.name;
  $('#who-role').textContent = me.role;
  $('#who').hidden = false;
  $('#nav').hidden = false;
}

$('#sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#sign-in-error').textContent = '';
  try {
    const me = await signIn($('#token').value.trim(), $('#remember').checked);
    $('#token').value = '';
    showUser(me);
    route();
  } catch (err) {
    $('#sign-in-error').textContent = 'Not signed in: ' + err.message;
  }
});

$('#sign-out').addEventListener('click', () => {
  signOut();
  route();
});

window.addEventListener('rulescaler:signed-out', () => {
  signOut();
  route();
  $('#sign-in-error').textContent = 'The token is no longer accepted; sign in again.';
});

window.addEventListener('hashchange', route);

async function start() {
  const saved = remembered();
  if (saved) {
    try {
      showUser(await signIn(saved, true));
    } catch (err) {
      signOut();
    }
  }
  route();
}

start();
