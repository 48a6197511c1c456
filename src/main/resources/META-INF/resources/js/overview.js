// Clusters overview: size, health, badges, the operation running now and the last decision, per cluster.
import {h, fill, badge, ago, status} from './dom.js';
import {api, enc} from './api.js';

export const IN_FLIGHT = ['running', 'rolling_back', 'cancelling'];
const PENDING = ['requested', 'provisioning', 'configuring'];

/** Node counts grouped the way operators read them. */
export function health(nodes) {
  const n = (s) => nodes[s] || 0;
  return {
    healthy: n('active'),
    unhealthy: n('failed'),
    pending: PENDING.reduce((a, s) => a + n(s), 0),
    draining: n('draining') + n('terminating'),
  };
}

/** Desired size: the running operation's target, else the live nodes (active or on their way). */
export function desiredOf(c, op) {
  if (op && op.targetSize !== undefined && op.targetSize !== null) return op.targetSize;
  const hl = health(c.nodes);
  return hl.healthy + hl.pending;
}

export function decisionLine(d) {
  if (!d) return 'no decision yet';
  const verb = d.verdict === 'refused' ? 'refused' : (d.dryRun ? 'dry run' : d.verdict);
  return `${ago(d.decidedAt)}: ${d.rule} → ${d.target} (${verb}) — ${d.why}`;
}

export function mount(root) {
  const list = h('div', {class: 'grid', id: 'clusters'}, h('p', {class: 'muted'}, 'loading…'));
  fill(root, h('h1', {}, 'Clusters'), list);
  let stopped = false;

  async function refresh() {
    try {
      const [clusters, ops] = await Promise.all([api('/clusters'), api('/operations?limit=200')]);
      const running = new Map();
      for (const op of ops) if (IN_FLIGHT.includes(op.state) && !running.has(op.cluster)) running.set(op.cluster, op);
      const last = await Promise.all(clusters.map((c) => api(`/clusters/${enc(c.name)}/decisions?size=1`).catch(() => [])));
      if (stopped) return;
      fill(list, clusters.length ? clusters.map((c, i) => card(c, running.get(c.name), last[i][0]))
        : h('p', {class: 'muted'}, 'No clusters yet: PUT one to /api/v1/clusters/<name> or drop a YAML file in clusters/.'));
    } catch (e) {
      status('Could not load clusters: ' + e.message, true);
    }
  }

  refresh();
  const timer = setInterval(refresh, 5000);
  return () => { stopped = true; clearInterval(timer); };
}

function card(c, op, last) {
  const hl = health(c.nodes);
  const size = c.spec.size;
  return h('article', {class: 'card cluster-card', 'data-cluster': c.name},
    h('h2', {}, h('a', {href: '#/clusters/' + enc(c.name)}, c.name), ' ',
      c.spec.paused ? badge('paused') : null, ' ', c.spec.dryRun ? badge('dry-run', 'dryrun') : null),
    h('p', {class: 'size'},
      h('b', {}, String(hl.healthy)), ' active / ', h('b', {}, String(desiredOf(c, op))), ' desired',
      h('span', {class: 'muted'}, ` · min ${size.min} · max ${size.max} · ${c.spec.provider || 'stub'}`)),
    h('p', {class: 'health'},
      badge(hl.healthy + ' healthy', hl.healthy ? 'ok' : 'none'), ' ', badge(hl.unhealthy + ' unhealthy', hl.unhealthy ? 'failed' : 'none'), ' ',
      badge(hl.pending + ' pending', hl.pending ? 'pending' : 'none'), ' ',
      badge(hl.draining + ' draining', hl.draining ? 'draining' : 'none')),
    h('p', {class: 'op'}, op
      ? [badge(op.state), ` ${op.kind} #${op.id} to ${op.targetSize ?? '—'}: ${op.progress ? op.progress.done + ' of ' + op.progress.total : ''}`]
      : h('span', {class: 'muted'}, 'no operation running')),
    h('p', {class: 'last-decision small'}, decisionLine(last)));
}
