// One cluster: what it is doing, why, its capacity over time, its nodes, operations and decisions,
// and what the signed-in role may do to it.
import {h, fill, badge, ago, time, status} from './dom.js';
import {api, enc} from './api.js';
import {applyRoles} from './auth.js';
import {drawChart} from './chart.js';
import {renderDecisions} from './decisions.js';
import {OperationsView} from './operations.js';
import {actionsPanel} from './actions.js';
import {health, desiredOf, IN_FLIGHT} from './overview.js';

const WINDOWS = ['1h', '6h', '24h', '7d'];

export function mount(root, name) {
  let cluster = null;
  let span = '1h';
  let stopped = false;
  let timer = null;
  let chartAt = 0;
  let vitals = {};

  const head = h('div', {class: 'cluster-head'}, h('h1', {}, name));
  const summary = h('p', {class: 'summary'});
  const whyEl = h('div', {id: 'why', class: 'why-text'}, h('p', {class: 'muted'}, 'loading…'));
  const chartEl = h('div', {id: 'chart'}, h('p', {class: 'muted'}, 'loading…'));
  const nodesEl = h('div', {class: 'scroll', id: 'nodes'});
  const opsEl = h('div');
  const decisionsEl = h('div');
  const ops = new OperationsView(opsEl, () => refresh());
  const actions = actionsPanel(() => cluster, () => refresh(true));
  const windowButtons = h('div', {class: 'row windows', role: 'group', 'aria-label': 'chart window'},
    WINDOWS.map((w) => h('button', {type: 'button', 'data-window': w, 'aria-pressed': String(w === span),
      onclick: () => { span = w; markWindow(); loadChart(); }}, w)));

  function markWindow() {
    for (const b of windowButtons.children) b.setAttribute('aria-pressed', String(b.dataset.window === span));
  }

  fill(root,
    h('p', {class: 'small'}, h('a', {href: '#/'}, '← all clusters')),
    head, summary,
    h('div', {class: 'layout'},
      h('div', {class: 'col-main'},
        h('section', {class: 'card'}, h('div', {class: 'row between wrap'}, h('h2', {}, 'Capacity'), windowButtons), chartEl),
        h('section', {class: 'card'}, h('h2', {}, 'Nodes'), nodesEl),
        h('section', {class: 'card'}, h('h2', {}, 'Operations'), opsEl)),
      h('div', {class: 'col-side'},
        actions.el,
        h('section', {class: 'card'}, h('h2', {}, 'Why (last evaluation)'), whyEl),
        h('section', {class: 'card'}, h('h2', {}, 'Decisions'), decisionsEl))));
  applyRoles(root);

  async function loadChart() {
    try {
      const data = await api(`/clusters/${enc(name)}/capacity?window=${span}`);
      chartAt = Date.now();
      vitals = data.vitals || {};
      if (!stopped) drawChart(chartEl, data);
    } catch (e) {
      fill(chartEl, h('p', {class: 'error'}, 'Chart not available: ' + e.message));
    }
  }

  async function refresh(now = false) {
    clearTimeout(timer);
    if (stopped) return;
    let busy = false;
    try {
      const base = `/clusters/${enc(name)}`;
      const [c, nodes, opList, decisions, why] = await Promise.all([api(base), api(base + '/nodes'),
        api(`/operations?cluster=${enc(name)}&limit=10`), api(base + '/decisions?size=30'), api(base + '/why')]);
      if (stopped) return;
      cluster = c;
      busy = ops.busy(opList);
      header(c, opList.find((o) => IN_FLIGHT.includes(o.state)));
      actions.update();
      renderWhy(why);
      renderNodes(nodes);
      renderDecisions(decisionsEl, decisions);
      await ops.render(opList);
      if (now || Date.now() - chartAt > 5000) await loadChart();
    } catch (e) {
      status(e.status === 404 ? `No cluster named ${name}.` : 'Could not load: ' + e.message, true);
    }
    if (!stopped) timer = setTimeout(refresh, busy ? 1000 : 5000);
  }

  function header(c, op) {
    const hl = health(c.nodes);
    fill(head, h('h1', {}, c.name, ' ', c.spec.paused ? badge('paused') : null, ' ', c.spec.dryRun ? badge('dry-run', 'dryrun') : null));
    fill(summary, h('b', {}, String(hl.healthy)), ' active / ', h('b', {}, String(desiredOf(c, op))), ' desired',
      ` · min ${c.spec.size.min} · max ${c.spec.size.max} · ${hl.pending} pending · ${hl.draining} draining · ${hl.unhealthy} failed`,
      h('span', {class: 'muted'}, ` · provider ${c.spec.provider || 'stub'} · rule set ${c.spec.ruleSet || 'default'}`));
  }

  function renderWhy(why) {
    fill(whyEl,
      h('p', {}, why.text || 'Not evaluated yet.'),
      why.evaluatedAt ? h('p', {class: 'small muted'}, `evaluated ${ago(why.evaluatedAt)} with rule set ${why.ruleSet || '—'}`
        + (why.firings !== undefined ? `, ${why.firings} firings` : '')) : null,
      why.rulesFired && Object.keys(why.rulesFired).length
        ? h('p', {class: 'small'}, 'Rules fired: ', Object.entries(why.rulesFired).map(([r, n]) => `${r} ×${n}`).join(', ')) : null,
      why.problem ? h('p', {class: 'error'}, why.problem) : null,
      why.runaway ? h('p', {class: 'error'}, 'Runaway: the firing cap cut this evaluation short; its decisions were not obeyed.') : null);
  }

  function renderNodes(nodes) {
    const live = nodes.filter((n) => n.state !== 'terminated');
    const gone = nodes.length - live.length;
    fill(nodesEl, live.length ? h('table', {class: 'nodes'},
      h('thead', {}, h('tr', {}, ['node', 'state', 'zone', 'address', 'age', 'heartbeat', 'vitals', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, live.map((n) => h('tr', {'data-node': n.name},
        h('td', {}, n.name), h('td', {}, badge(n.state)), h('td', {}, n.zone || '—'), h('td', {class: 'addr'}, n.address || '—'),
        h('td', {}, n.launchedAt ? ago(n.launchedAt).replace(' ago', '') : '—'),
        h('td', {title: n.lastHeartbeatAt ? time(n.lastHeartbeatAt) : ''}, n.lastHeartbeatAt ? ago(n.lastHeartbeatAt) : '—'),
        h('td', {}, vitalsOf(n.name)),
        h('td', {}, n.protectedNode ? badge('protected') : '')))))
      : h('p', {class: 'muted'}, 'No nodes.'),
    gone ? h('p', {class: 'small muted'}, `${gone} terminated node(s) not shown.`) : null);
  }

  function vitalsOf(node) {
    const v = vitals[node];
    if (!v) return '—';
    const parts = [];
    if (v.cpu !== undefined) parts.push(`cpu ${Math.round(v.cpu)}%`);
    if (v.memory !== undefined) parts.push(`mem ${Math.round(v.memory)}%`);
    if (v.load !== undefined) parts.push(`load ${v.load}`);
    return parts.join(' · ');
  }

  refresh(true);
  return () => { stopped = true; clearTimeout(timer); };
}
