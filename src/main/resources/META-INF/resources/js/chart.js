// The capacity chart: desired and active nodes as steps, decisions as markers, chain runs as diamonds
// along the top, alerts as bands, and the sampled metrics the rules read as small lines underneath.
// Drawn as SVG from /capacity.
import {h, svg, fill, time} from './dom.js';

const H = 260;
const PAD = {l: 34, r: 12, t: 12, b: 26};

/** Renders data (the /capacity answer) into el. */
export function drawChart(el, data) {
  // drawn at the width it is shown, so text keeps its size on a phone
  const W = Math.max(300, Math.round(el.clientWidth || 800));
  const from = Date.parse(data.from);
  const to = Date.parse(data.to);
  const values = [data.max, ...data.desired.map((s) => s.value), ...data.actual.map((s) => s.value),
    ...data.decisions.map((d) => d.target)];
  const yMax = Math.max(1, ...values) + 1;
  const x = (t) => PAD.l + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * (W - PAD.l - PAD.r);
  const y = (v) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);

  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', id: 'capacity-chart',
    'aria-label': `capacity of ${data.cluster} over ${data.window}: ${data.decisions.length} decisions`});
  for (const b of data.alerts) {
    const x0 = x(Date.parse(b.from));
    const x1 = x(b.to ? Date.parse(b.to) : to);
    chart.append(svg('rect', {class: 'band', x: x0, y: PAD.t, width: Math.max(2, x1 - x0), height: H - PAD.t - PAD.b},
      svg('title', {}, `alert ${b.name}: ${time(b.from)} – ${b.to ? time(b.to) : 'still firing'}`)));
  }
  axes(chart, from, to, yMax, x, y, W, W < 600 ? 2 : 4);
  chart.append(svg('line', {class: 'bound', x1: PAD.l, x2: W - PAD.r, y1: y(data.max), y2: y(data.max)},
    svg('title', {}, 'max ' + data.max)));
  chart.append(steps(data.desired, to, x, y, 'desired'));
  chart.append(steps(data.actual, to, x, y, 'actual'));
  for (const d of data.decisions) {
    const title = `${time(d.at)} ${d.rule}: ${d.verdict}${d.dryRun ? ' (dry run)' : ''} → ${d.target}\n${d.why}`
      + (d.reason ? `\nreason: ${d.reason}` : '');
    chart.append(svg('circle', {class: 'marker m-' + d.verdict, cx: x(Date.parse(d.at)), cy: y(d.target), r: 5,
      tabindex: 0, 'data-decision': d.id}, svg('title', {}, title)));
  }
  for (const r of data.chainRuns || []) {
    const cx = x(Date.parse(r.at));
    const cy = PAD.t + 6;
    const title = `${time(r.at)} chain ${r.chain}${r.node ? ' on ' + r.node : ''} (${r.rule ? 'rule ' + r.rule : 'by hand'}):`
      + ` ${r.verdict}, ${r.status}\n${r.why}` + (r.reason ? `\nreason: ${r.reason}` : '');
    chart.append(svg('path', {class: 'chain-marker c-' + r.verdict, d: `M${cx},${cy - 6}L${cx + 5},${cy}L${cx},${cy + 6}L${cx - 5},${cy}Z`,
      tabindex: 0, 'data-chain-run': r.id}, svg('title', {}, title)));
  }
  fill(el, chart, legend(), metrics(data, from, to, W));
}

function steps(list, to, x, y, cls) {
  let d = '';
  list.forEach((s, i) => {
    const t = Date.parse(s.at);
    d += (i === 0 ? `M${x(t)},${y(s.value)}` : `H${x(t)}V${y(s.value)}`);
  });
  if (list.length) d += `H${x(to)}`;
  return svg('path', {class: 'line ' + cls, d});
}

function axes(chart, from, to, yMax, x, y, W, ticks) {
  const step = Math.max(1, Math.ceil(yMax / 5));
  for (let v = 0; v <= yMax; v += step) {
    chart.append(svg('line', {class: 'grid', x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v)}),
      svg('text', {x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end'}, String(v)));
  }
  for (let i = 0; i <= ticks; i++) {
    const t = from + (i / ticks) * (to - from);
    chart.append(svg('text', {x: x(t), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle'},
      time(new Date(t).toISOString())));
  }
}

function legend() {
  const item = (cls, text) => h('span', {class: 'key ' + cls}, text);
  return h('p', {class: 'legend small'}, item('k-desired', 'desired'), item('k-actual', 'active nodes'),
    item('k-accepted', 'decision acted on'), item('k-refused', 'decision refused'), item('k-chain', 'chain run (top; hollow: refused)'),
    item('k-band', 'alert firing'));
}

/** One small line per sampled metric, on the chart's time axis. */
function metrics(data, from, to, w) {
  if (!data.metrics.length) {
    return h('p', {class: 'muted small'}, 'No samples in this window (samples are kept as long as the signal retention, 1 h by default).');
  }
  const hh = 48;
  return h('div', {class: 'metrics'}, data.metrics.slice(0, 8).map((s) => {
    const vals = s.points.map((p) => p.value);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const x = (t) => PAD.l + ((t - from) / (to - from)) * (w - PAD.l - PAD.r);
    const y = (v) => hh - 4 - (hi === lo ? 0.5 : (v - lo) / (hi - lo)) * (hh - 8);
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${x(Date.parse(p.at))},${y(p.value)}`).join('');
    const lastVal = vals[vals.length - 1];
    return h('figure', {class: 'metric'},
      h('figcaption', {class: 'small'}, s.name, h('span', {class: 'muted'}, ` last ${round(lastVal)} (${round(lo)}–${round(hi)})`)),
      svg('svg', {viewBox: `0 0 ${w} ${hh}`, class: 'spark'}, svg('path', {class: 'line metric-line', d})));
  }));
}

const round = (v) => Math.round(v * 100) / 100;
