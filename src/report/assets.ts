/** The report's stylesheet and the sample browser's script, inlined into the page (no network, no CDN). */

export const STYLE = `
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #ffffff; --panel: #f8f9fb; --bad: #b42318; --good: #067647; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 32px 0 8px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 6px; font-size: 15px; }
main { padding: 0 32px 48px; max-width: 1180px; }
nav a { margin-right: 14px; color: #0b5cad; text-decoration: none; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
.warn { background: #fffaeb; border: 1px solid #fedf89; padding: 8px 12px; border-radius: 6px; margin: 10px 0; }
.warn ul { margin: 4px 0 0 18px; padding: 0; }
.verdict-bad { color: var(--bad); font-weight: 600; }
.verdict-good { color: var(--good); font-weight: 600; }
svg.chart { display: block; margin: 6px 0 14px; max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg .grid { stroke: #eceff3; }
svg .zero { stroke: #98a2b3; stroke-dasharray: 4 3; }
svg .band { fill: #f7f8fa; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .label { fill: var(--fg); font-size: 12px; }
svg .value { font-size: 11.5px; font-variant-numeric: tabular-nums; }
svg .value.strong { font-weight: 700; }
svg .caption { font-weight: 600; font-size: 12.5px; fill: var(--fg); }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .cell { stroke: #fff; }
svg .cellText { font-size: 11px; fill: #1d2330; }
svg .cellText.light { fill: #fff; }
.small-multiples { display: flex; flex-wrap: wrap; gap: 12px 28px; }
details > summary { cursor: pointer; color: #0b5cad; margin: 6px 0; }
#browser .filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; padding: 10px 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; position: sticky; top: 0; z-index: 2; }
#browser label { font-size: 13px; }
#browser select, #browser input[type=search] { font: inherit; padding: 3px 6px; border: 1px solid #d0d5dd; border-radius: 5px; background: #fff; }
#browser .count { margin-left: auto; color: var(--muted); }
.doc { border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; overflow: hidden; }
.doc > .head { padding: 6px 12px; background: var(--panel); display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.doc > .head .id { font-weight: 600; font-family: ui-monospace, monospace; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; border: 1px solid; }
.badge.ok { color: var(--good); border-color: #abefc6; background: #ecfdf3; }
.badge.no { color: var(--bad); border-color: #fecdca; background: #fef3f2; }
.badge.na { color: #344054; border-color: #d0d5dd; background: #fff; }
.badge.flip { color: #93370d; border-color: #fedf89; background: #fffaeb; }
.doc .prompt { padding: 4px 12px; }
pre.prompt-tail { background: #f5f8ff; border-color: #e0e9ff; }
.doc .runs { display: grid; gap: 0; }
.doc .run { padding: 8px 12px; border-top: 1px solid var(--line); min-width: 0; }
.doc .run + .run { border-left: 1px solid var(--line); }
.doc .run h4 { margin: 0 0 4px; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: #fcfcfd; border: 1px solid #f0f1f3; padding: 6px 8px; border-radius: 5px; max-height: 340px; overflow: auto; }
.pager { display: flex; gap: 8px; align-items: center; margin: 10px 0; }
.pager button { font: inherit; padding: 3px 10px; border: 1px solid #d0d5dd; border-radius: 5px; background: #fff; cursor: pointer; }
.pager button:disabled { opacity: 0.4; cursor: default; }
@media print { #browser { display: none; } }
`;

/**
 * The sample browser: filters (task, outcome, label, flipped between runs, text), 20 documents a page. Written
 * without template literals so that it can live in this TypeScript string.
 */
export const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('browser');
  if (!root) return;
  var runs = data.runs, docs = data.docs, PAGE = 20, page = 0;
  var el = function (tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  };
  var q = function (id) { return root.querySelector('#' + id); };
  var tasks = Array.from(new Set(docs.map(function (d) { return d.task; })));
  var labels = {};
  docs.forEach(function (d) { d.runs.forEach(function (r) { if (r) r.labels.forEach(function (l) { labels[l] = true; }); }); });
  function fill(sel, values) { values.forEach(function (v) { sel.appendChild(el('option', { value: v[0], text: v[1] })); }); }
  fill(q('f-task'), [['', 'all tasks']].concat(tasks.map(function (t) { return [t, t]; })));
  fill(q('f-run'), runs.map(function (r, i) { return [String(i), r.label]; }));
  fill(q('f-outcome'), [['', 'any outcome'], ['ok', 'correct / passed'], ['no', 'incorrect / failed']]);
  fill(q('f-label'), [['', 'any label']].concat(Object.keys(labels).sort().map(function (l) { return [l, l]; })));
  if (runs.length < 2) q('f-flipped').parentNode.style.display = 'none';
  function matches(d) {
    var task = q('f-task').value, run = Number(q('f-run').value), outcome = q('f-outcome').value, label = q('f-label').value;
    var text = q('f-text').value.trim().toLowerCase();
    if (task && d.task !== task) return false;
    if (q('f-flipped').checked && !d.flipped) return false;
    var r = d.runs[run];
    if (outcome || label) {
      if (!r) return false;
      if (outcome === 'ok' && r.ok !== true) return false;
      if (outcome === 'no' && r.ok !== false) return false;
      if (label && r.labels.indexOf(label) < 0) return false;
    }
    if (text) {
      var hay = (d.id + ' ' + d.group + ' ' + (d.prompt || '') + ' ' + d.runs.map(function (x) { return x ? x.output + ' ' + (x.reasoning || '') : ''; }).join(' ')).toLowerCase();
      if (hay.indexOf(text) < 0) return false;
    }
    return true;
  }
  function badge(r) {
    if (!r) return el('span', { class: 'badge na', text: 'not in run' });
    return el('span', { class: 'badge ' + (r.ok === true ? 'ok' : r.ok === false ? 'no' : 'na'), text: r.outcome });
  }
  function card(d) {
    var head = el('div', { class: 'head' }, [el('span', { class: 'id', text: d.id }), el('span', { class: 'muted', text: d.task + (d.group ? ' · ' + d.group : '') })]);
    d.runs.forEach(function (r, i) {
      var dot = el('span', { class: 'swatch', title: runs[i].label });
      dot.style.background = runs[i].color;
      var b = badge(r);
      b.title = runs[i].label;
      head.appendChild(el('span', {}, [dot, b]));
    });
    if (d.flipped) head.appendChild(el('span', { class: 'badge flip', text: 'flipped' }));
    // The prompt's end (the question itself) is shown; the whole prompt (few-shot examples included) on demand.
    var prompt = null;
    if (d.prompt !== null) {
      var tail = d.prompt.length > 600 ? '…' + d.prompt.slice(-600) : d.prompt;
      prompt = el('div', { class: 'prompt' }, [el('pre', { class: 'prompt-tail', text: tail })]);
      if (d.prompt.length > 600) prompt.appendChild(el('details', {}, [el('summary', { text: 'whole prompt (' + d.prompt.length + ' characters)' }), el('pre', { text: d.prompt })]));
    }
    var cols = el('div', { class: 'runs' });
    cols.style.gridTemplateColumns = 'repeat(' + d.runs.length + ', minmax(0, 1fr))';
    d.runs.forEach(function (r, i) {
      var c = el('div', { class: 'run' }, [el('h4', { text: runs[i].label }, [])]);
      c.firstChild.style.color = runs[i].color;
      if (r) {
        c.appendChild(badge(r));
        if (r.output) c.appendChild(el('pre', { class: 'output', text: r.output }));
        if (r.reasoning) c.appendChild(el('details', {}, [el('summary', { text: 'reasoning (' + r.reasoning.length + ' characters)' }), el('pre', { text: r.reasoning })]));
        if (r.detail) c.appendChild(el('details', {}, [el('summary', { text: 'details' }), el('pre', { text: r.detail })]));
      } else c.appendChild(el('p', { class: 'muted', text: 'not in this run' }));
      cols.appendChild(c);
    });
    return el('div', { class: 'doc', 'data-id': d.id }, [head, prompt, cols]);
  }
  function render() {
    var shown = docs.filter(matches);
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    q('count').textContent = shown.length + ' of ' + docs.length + ' documents';
    var list = q('list');
    list.innerHTML = '';
    shown.slice(page * PAGE, page * PAGE + PAGE).forEach(function (d) { list.appendChild(card(d)); });
    q('page').textContent = 'page ' + (page + 1) + ' of ' + pages;
    q('prev').disabled = page === 0;
    q('next').disabled = page >= pages - 1;
  }
  ['f-task', 'f-run', 'f-outcome', 'f-label', 'f-flipped'].forEach(function (id) { q(id).addEventListener('change', function () { page = 0; render(); }); });
  q('f-text').addEventListener('input', function () { page = 0; render(); });
  q('prev').addEventListener('click', function () { page--; render(); });
  q('next').addEventListener('click', function () { page++; render(); });
  render();
})();
`;
