// Operations with live progress (n of m, per node, current step) and each task's log while it runs.
// The page polls: every second while an operation is in flight (one GET of the operation and, when
// a log is open, one of that log), every five seconds otherwise. Each GET asks for the first PAGE
// tasks and node lines only: an operation of 10 000 nodes has 20 000 tasks.
import {h, fill, badge, time, confirmDialog, status} from './dom.js';
import {api} from './api.js';
import {applyRoles} from './auth.js';
import {IN_FLIGHT} from './overview.js';

const PAGE = 200;

/** Keeps which operations and logs are open across refreshes. */
export class OperationsView {
  constructor(el, onChange) {
    this.el = el;
    this.onChange = onChange;
    this.open = new Set();
    this.logs = new Map(); // task id -> <pre>
  }

  /** Whether an operation is in flight (the page then refreshes faster). */
  busy(ops) {
    return ops.some((o) => IN_FLIGHT.includes(o.state));
  }

  async render(summaries) {
    const ops = await Promise.all(summaries.slice(0, 10).map((o) =>
      IN_FLIGHT.includes(o.state) || this.open.has(o.id) ? api(`/operations/${o.id}?limit=${PAGE}`) : o));
    if (!ops.length) return fill(this.el, h('p', {class: 'muted'}, 'No operations yet.'));
    fill(this.el, h('ul', {class: 'ops', id: 'operations'}, ops.map((op) => this.item(op))));
    applyRoles(this.el);
    await Promise.all([...this.logs.keys()].map((id) => this.loadLog(id)));
  }

  item(op) {
    const p = op.progress || {done: 0, total: 0};
    const pct = p.total ? Math.round((100 * p.done) / p.total) : 0;
    const open = this.open.has(op.id) || IN_FLIGHT.includes(op.state);
    return h('li', {class: 'op', 'data-operation': op.id, 'data-state': op.state},
      h('div', {class: 'op-head'},
        badge(op.state), ' ', h('b', {}, `#${op.id} ${op.kind}`),
        ` ${op.previousSize ?? '?'} → ${op.targetSize ?? '?'} `,
        h('span', {class: 'progress-text'}, `${p.done} of ${p.total} tasks`),
        h('span', {class: 'muted small'}, ` · ${time(op.createdAt)}${op.finishedAt ? ' – ' + time(op.finishedAt) : ''}`)),
      h('div', {class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': p.total, 'aria-valuenow': p.done},
        h('span', {style: `width:${pct}%`, class: 'fill s-' + op.state})),
      h('p', {class: 'small'}, op.reason, op.error ? h('span', {class: 'error'}, ' — ', op.error) : null),
      h('div', {class: 'row'},
        h('button', {type: 'button', class: 'link', onclick: () => this.toggle(op.id)}, open ? 'hide tasks' : 'show tasks'),
        IN_FLIGHT.includes(op.state) && !op.cancelRequested
          ? h('button', {type: 'button', 'data-needs': 'operator', class: 'danger cancel', onclick: () => this.cancel(op)}, 'Cancel')
          : null),
      open && op.nodes ? this.nodes(op) : null,
      open && op.tasks ? this.tasks(op) : null);
  }

  nodes(op) {
    if (!op.nodes.length) return null;
    const more = op.page && op.page.nodes > op.nodes.length ? `first ${op.nodes.length} of ${op.page.nodes} nodes` : null;
    return h('ul', {class: 'per-node small'}, op.nodes.map((n) =>
      h('li', {}, h('b', {}, n.node || 'cluster'), ` ${n.done} of ${n.total}`, n.currentStep ? ` · now: ${n.currentStep}` : '',
        n.lastState ? ' · ' : '', n.lastState ? badge(n.lastState) : null)),
      more ? h('li', {class: 'muted'}, more) : null);
  }

  tasks(op) {
    return h('div', {class: 'scroll'}, h('table', {class: 'tasks small'},
      h('thead', {}, h('tr', {}, ['step', 'node', 'state', 'try', 'message', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, op.tasks.map((t) => [
        h('tr', {'data-task': t.id},
          h('td', {}, t.step + (t.undo ? ' (undo)' : '')), h('td', {}, t.node || '—'), h('td', {}, badge(t.state)),
          h('td', {}, `${t.attempt}/${t.maxAttempts}`), h('td', {class: 'msg'}, t.message || ''),
          h('td', {}, h('button', {type: 'button', class: 'link', onclick: () => this.toggleLog(op.id, t.id)},
            this.logs.has(t.id) ? 'hide log' : 'log'))),
        this.logs.has(t.id) ? h('tr', {}, h('td', {colspan: 6}, this.logs.get(t.id).pre)) : null]))));
  }

  toggle(id) {
    if (this.open.has(id)) this.open.delete(id); else this.open.add(id);
    this.onChange();
  }

  toggleLog(opId, taskId) {
    if (this.logs.has(taskId)) this.logs.delete(taskId);
    else this.logs.set(taskId, {opId, pre: h('pre', {class: 'log', 'data-log': taskId}, 'loading…')});
    this.open.add(opId);
    this.onChange();
  }

  async loadLog(taskId) {
    const l = this.logs.get(taskId);
    try {
      const text = await api(`/operations/${l.opId}/tasks/${taskId}/log`);
      l.pre.textContent = text || '(nothing printed yet)';
      l.pre.scrollTop = l.pre.scrollHeight;
    } catch (e) {
      l.pre.textContent = 'log not available: ' + e.message;
    }
  }

  async cancel(op) {
    if (!(await confirmDialog(`Cancel operation #${op.id} (${op.kind} of ${op.cluster})? Finished steps are undone.`))) return;
    try {
      await api(`/operations/${op.id}/cancel`, {method: 'POST'});
      status(`Cancel of #${op.id} requested.`);
    } catch (e) {
      status('Cancel refused: ' + e.message, true);
    }
    this.onChange();
  }
}
