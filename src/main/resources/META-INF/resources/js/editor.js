// A DRL editor: a textarea with a line-number gutter; compile errors are marked on their line.
import {h, fill} from './dom.js';

export class DrlEditor {
  constructor() {
    this.gutter = h('div', {class: 'gutter', 'aria-hidden': 'true', id: 'gutter'});
    this.area = h('textarea', {id: 'drl', class: 'code', spellcheck: 'false', wrap: 'off', 'aria-label': 'DRL text',
      oninput: () => this.lines(), onscroll: () => { this.gutter.scrollTop = this.area.scrollTop; }});
    this.errors = [];
    this.el = h('div', {class: 'editor'}, this.gutter, this.area);
    this.area.addEventListener('keydown', (e) => {
      // Tab indents inside the editor; Esc then Tab leaves it (keyboard users are not trapped)
      if (e.key === 'Escape') { this.escaped = true; return; }
      if (e.key === 'Tab' && !e.shiftKey && !this.escaped) {
        e.preventDefault();
        this.area.setRangeText('    ', this.area.selectionStart, this.area.selectionEnd, 'end');
        this.lines();
      }
      if (e.key !== 'Tab') this.escaped = false;
    });
  }

  get value() {
    return this.area.value;
  }

  set value(text) {
    this.area.value = text;
    this.mark([]);
  }

  /** Marks errors ({line, column, message}) of this file on their lines. */
  mark(errors) {
    this.errors = errors;
    this.lines();
  }

  lines() {
    const n = this.area.value.split('\n').length;
    const byLine = new Map();
    for (const e of this.errors) byLine.set(e.line, (byLine.get(e.line) ? byLine.get(e.line) + '\n' : '') + `${e.line}:${e.column}: ${e.message}`);
    const rows = [];
    for (let i = 1; i <= n; i++) {
      rows.push(h('div', {class: byLine.has(i) ? 'ln err' : 'ln', 'data-line': i, title: byLine.get(i) || null}, String(i)));
    }
    fill(this.gutter, rows);
    this.gutter.scrollTop = this.area.scrollTop;
  }

  /** Puts the caret at the start of line, column and scrolls there. */
  goTo(line, column = 1) {
    const lines = this.area.value.split('\n');
    let pos = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) pos += lines[i].length + 1;
    pos += Math.max(0, column - 1);
    this.area.focus();
    this.area.setSelectionRange(pos, pos);
    const lh = parseFloat(getComputedStyle(this.area).lineHeight) || 18;
    this.area.scrollTop = Math.max(0, (line - 3) * lh);
  }
}
