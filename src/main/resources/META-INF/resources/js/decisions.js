// Decisions as a timeline: the guard's verdict in words, the rule, the change, and the matched facts folded.
import {h, fill, badge, time} from './dom.js';

/** What the guard did, in a few words. */
export function verdictWords(d) {
  const change = `${d.baseline} → ${d.target}`;
  if (d.verdict === 'refused') return `Refused (stays at ${d.baseline})`;
  if (d.dryRun) return `Dry run: would go ${change}`;
  if (d.verdict === 'clamped') return `Clamped: ${change}`;
  return d.baseline === d.target ? `Accepted, no change (${d.target})` : `Accepted: ${change}`;
}

export function renderDecisions(el, decisions) {
  if (!decisions.length) return fill(el, h('p', {class: 'muted'}, 'No decisions yet.'));
  fill(el, h('ol', {class: 'timeline', id: 'decisions'}, decisions.map((d) => h('li', {class: 'decision v-' + d.verdict},
    h('div', {class: 'when small muted'}, time(d.decidedAt)),
    h('div', {class: 'what'},
      badge(d.verdict), ' ', h('b', {}, verdictWords(d)), ' ',
      h('span', {class: 'muted'}, `by ${d.rule}${d.requestedBy ? ' (' + d.requestedBy + ')' : ''}${d.force ? ', forced' : ''}`),
      h('p', {class: 'why'}, d.why),
      d.reason ? h('p', {class: 'small'}, 'Reason: ', d.reason) : null,
      facts(d.facts))))));
}

function facts(f) {
  const list = Array.isArray(f) ? f : (f && typeof f === 'object' ? Object.entries(f).map(([k, v]) => ({[k]: v})) : []);
  if (!list.length) return null;
  return h('details', {class: 'facts'}, h('summary', {}, `matched facts (${list.length})`),
    h('ul', {}, list.map((x) => h('li', {class: 'small'}, describe(x)))));
}

function describe(x) {
  if (x === null || typeof x !== 'object') return String(x);
  const kind = x.type || x.kind || x['@type'];
  const rest = Object.entries(x).filter(([k]) => !['type', 'kind', '@type'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : v}`);
  return (kind ? kind + ': ' : '') + rest.join(', ');
}
