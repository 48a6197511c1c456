// Rules: each rule set with its files, compile status and errors at file:line:column; a DRL editor
// where "check" compiles without saving and "save" uploads (admins); the last evaluation per cluster.
import {h, fill, badge, ago, confirmDialog, status} from './dom.js';
import {api, enc} from './api.js';
import {applyRoles} from './auth.js';
import {DrlEditor} from './editor.js';

export function mount(root) {
  const setsEl = h('div', {id: 'rule-sets'}, h('p', {class: 'muted'}, 'loading…'));
  const whyEl = h('div', {id: 'why-all'});
  const editor = new DrlEditor();
  const fileInput = h('input', {id: 'rule-file', type: 'text', placeholder: 'default/my-rules.drl', 'aria-label': 'rule file',
    pattern: '[A-Za-z0-9._-]+/[A-Za-z0-9._-]+\\.drl'});
  const result = h('div', {id: 'rule-result', role: 'status', 'aria-live': 'polite'});
  let stopped = false;

  fill(root, h('h1', {}, 'Rules'),
    h('div', {class: 'layout'},
      h('div', {class: 'col-main'},
        h('section', {class: 'card'}, h('h2', {}, 'Editor'),
          h('div', {class: 'row wrap'}, h('label', {for: 'rule-file'}, 'File'), fileInput,
            h('button', {type: 'button', id: 'check-button', onclick: check}, 'Check'),
            h('button', {type: 'button', id: 'save-button', class: 'primary', 'data-needs': 'admin', onclick: save}, 'Save')),
          h('p', {class: 'small muted'}, 'Check compiles the file in its rule set without saving. Save (admins) compiles it again and '
            + 'writes it only if it compiles; the running rules change only then.'),
          editor.el, result)),
      h('div', {class: 'col-side'},
        h('section', {class: 'card'}, h('h2', {}, 'Rule sets'), setsEl),
        h('section', {class: 'card'}, h('h2', {}, 'Why, per cluster'), whyEl))));
  applyRoles(root);

  async function open(file, line) {
    try {
      editor.value = await api('/rules/' + file.split('/').map(enc).join('/'));
      fileInput.value = file;
      fill(result);
      if (line) editor.goTo(line);
    } catch (e) {
      status('Could not open ' + file + ': ' + e.message, true);
    }
  }

  function showErrors(errors, heading) {
    const here = errors.filter((e) => e.file === fileInput.value);
    editor.mark(here);
    fill(result, h('p', {class: 'error'}, heading),
      h('ul', {id: 'rule-errors', class: 'errors'}, errors.map((e) => h('li', {'data-line': e.line, 'data-file': e.file},
        h('button', {type: 'button', class: 'link', onclick: () => (e.file === fileInput.value ? editor.goTo(e.line, e.column) : open(e.file, e.line))},
          `${e.file}:${e.line}:${e.column}`), ' ', e.message))));
  }

  async function check() {
    if (!fileInput.reportValidity()) return;
    fill(result, 'compiling…');
    try {
      const r = await api('/rules/check', {method: 'POST', body: {file: fileInput.value, content: editor.value}});
      if (r.ok) {
        editor.mark([]);
        fill(result, h('p', {class: 'ok'}, `${fileInput.value} compiles with its rule set. Nothing was saved.`));
      } else {
        showErrors(r.errors, `${r.errors.length} error(s); nothing was saved.`);
      }
    } catch (e) {
      fill(result, h('p', {class: 'error'}, 'Check failed: ' + e.message));
    }
  }

  async function save() {
    if (!fileInput.reportValidity()) return;
    if (!(await confirmDialog(`Save ${fileInput.value}? If it compiles, its rule set is reloaded at once.`))) return;
    fill(result, 'saving…');
    try {
      await api('/rules/' + fileInput.value.split('/').map(enc).join('/'), {method: 'PUT', body: editor.value});
      editor.mark([]);
      fill(result, h('p', {class: 'ok'}, `Saved ${fileInput.value}; the rule set was reloaded.`));
      load();
    } catch (e) {
      if (e.problem && e.problem.errors) showErrors(e.problem.errors, e.message);
      else fill(result, h('p', {class: 'error'}, 'Not saved: ' + e.message));
    }
  }

  async function load() {
    try {
      const [rules, clusters] = await Promise.all([api('/rules'), api('/clusters')]);
      if (stopped) return;
      fill(setsEl, rules.ruleSets.map((s) => h('article', {class: 'rule-set', 'data-set': s.ruleSet},
        h('h3', {}, s.ruleSet, ' ', badge(s.status === 'ok' ? 'compiles' : s.status, s.status)),
        h('p', {class: 'small muted'}, `${s.rules} rules · loaded ${s.loadedAt ? ago(s.loadedAt) : 'never'} · compile ${s.compileMillis} ms`),
        h('ul', {class: 'files'}, s.files.map((f) => h('li', {}, h('button', {type: 'button', class: 'link', onclick: () => open(f)}, f)))),
        s.errors.length ? h('ul', {class: 'errors small'}, s.errors.map((e) => h('li', {},
          h('button', {type: 'button', class: 'link', onclick: () => open(e.file, e.line)}, `${e.file}:${e.line}:${e.column}`), ' ', e.message)))
          : null)));
      const whys = await Promise.all(clusters.map((c) => api(`/clusters/${enc(c.name)}/why`).catch((e) => ({text: e.message}))));
      if (stopped) return;
      fill(whyEl, clusters.length ? h('dl', {}, clusters.map((c, i) => [h('dt', {}, h('a', {href: '#/clusters/' + enc(c.name)}, c.name)),
        h('dd', {'data-why': c.name}, whys[i].text || 'not evaluated yet')])) : h('p', {class: 'muted'}, 'No clusters.'));
      if (!fileInput.value && rules.ruleSets.length && rules.ruleSets[0].files.length) open(rules.ruleSets[0].files[0]);
    } catch (e) {
      status('Could not load rules: ' + e.message, true);
    }
  }

  load();
  const timer = setInterval(load, 10000);
  return () => { stopped = true; clearInterval(timer); };
}
