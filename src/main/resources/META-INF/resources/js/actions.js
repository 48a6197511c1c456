// What an operator may do to a cluster, each behind a confirmation, with the service's answer in words.
import {h, fill, confirmDialog, status} from './dom.js';
import {api, enc} from './api.js';
import {verdictWords} from './decisions.js';

/**
 * The scale form and the pause / resume / dry-run switches. get() returns the cluster as last read;
 * update() relabels the switches after a refresh (the form keeps what was typed). onDone refreshes.
 */
export function actionsPanel(get, onDone) {
  const c = {get name() { return get().name; }};
  const answer = h('div', {id: 'scale-answer', class: 'answer', role: 'status', 'aria-live': 'polite'});
  const mode = h('select', {id: 'scale-mode', 'aria-label': 'scale to or by'},
    h('option', {value: 'target'}, 'to'), h('option', {value: 'delta'}, 'by'));
  const amount = h('input', {id: 'scale-amount', type: 'number', step: 1, required: true, 'aria-label': 'nodes', class: 'num'});
  const reason = h('input', {id: 'scale-reason', type: 'text', required: true, maxlength: 1000, placeholder: 'why (shown in the audit)',
    'aria-label': 'reason'});
  const force = h('label', {class: 'check', 'data-needs': 'admin'},
    h('input', {id: 'scale-force', type: 'checkbox'}), ' force (skip cooldowns, never min/max)');

  async function scale(e) {
    e.preventDefault();
    const n = Number(amount.value);
    const body = {[mode.value]: n, reason: reason.value.trim(), force: document.getElementById('scale-force').checked || undefined};
    const what = mode.value === 'target' ? `to ${n} nodes` : `by ${n > 0 ? '+' : ''}${n} nodes`;
    if (!(await confirmDialog(`Scale ${c.name} ${what}${body.force ? ', forced' : ''}? Reason: ${body.reason}`))) return;
    fill(answer, 'asking the guard…');
    try {
      const d = await api(`/clusters/${enc(c.name)}/scale`, {method: 'POST', body});
      fill(answer, h('p', {class: 'ok'}, h('b', {}, verdictWords(d)), ' — ', d.why,
        d.scaleRequestId ? ' An operation follows.' : ''));
    } catch (err) {
      const title = err.status === 409 ? 'Refused by the guard: ' : err.status === 403 ? 'Not allowed: ' : 'Not done: ';
      fill(answer, h('p', {class: 'error refused'}, h('b', {}, title), err.message));
    }
    onDone();
  }

  async function toggle(path, question, method = 'POST', body) {
    if (!(await confirmDialog(question))) return;
    try {
      await api(`/clusters/${enc(c.name)}/${path}`, {method, body});
      status('Done: ' + question.replace(/\?$/, ''));
    } catch (err) {
      status('Not done: ' + err.message, true);
    }
    onDone();
  }

  const pauseButton = h('button', {id: 'pause-button', type: 'button', onclick: () => {
    const paused = get().spec.paused;
    toggle(paused ? 'resume' : 'pause', paused ? `Resume ${c.name}: act on decisions again?`
      : `Pause ${c.name}: rules keep evaluating but nothing is acted on?`);
  }});
  const dryButton = h('button', {id: 'dry-run-button', type: 'button', onclick: () => {
    const dry = get().spec.dryRun;
    toggle('dry-run', dry ? `Turn dry-run off for ${c.name}?` : `Turn dry-run on for ${c.name} (decide, but do not act)?`,
      'PUT', {enabled: !dry});
  }});
  const update = () => {
    if (!get()) return;
    pauseButton.textContent = get().spec.paused ? 'Resume' : 'Pause';
    dryButton.textContent = get().spec.dryRun ? 'Dry-run off' : 'Dry-run on';
  };
  update();
  const el = h('section', {class: 'card actions', 'data-needs': 'operator', id: 'actions'},
    h('h2', {}, 'Actions'),
    h('form', {class: 'scale row wrap', onsubmit: scale},
      h('label', {for: 'scale-amount'}, 'Scale'), mode, amount, reason, force,
      h('button', {id: 'scale-button', type: 'submit', class: 'primary'}, 'Scale')),
    answer,
    h('div', {class: 'row wrap'}, pauseButton, dryButton));
  return {el, update};
}
