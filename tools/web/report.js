// The page script of `alignsim report` (docs/reports.md): reads the inlined report-data JSON and
// draws every chart with the inlined ECharts. No network: the page's CSP forbids any fetch.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('report-data').textContent);
  const root = document.getElementById('report');

  // One colour per label, the same in every chart and in the live view: the model's (its
  // schema's label colours); the other colours are tools/web/palette.json's. Both are inlined
  // in the data by alignsim report.
  const PALETTE = data.palette;
  const SCHEMA = data.schema || { labels: [], qualifiers: [], kinds: null, agents: {}, agent_refs: [], quantities: [], scalars: [] };
  const LABEL_COLORS = {};
  for (const l of SCHEMA.labels) if (l.colour) LABEL_COLORS[l.name] = l.colour;
  const EXTRA_COLORS = PALETTE.extra_labels;
  const SERIES_COLORS = PALETTE.series;
  const labels = data.labels || [];
  const qualifiers = SCHEMA.qualifiers.map((q) => q.name);

  // The names people read: the scenario's display names.
  const displayNames = {};
  for (const s of data.states || []) if (s && s.name) displayNames[s.name] = s.display_name || s.name;
  Object.assign(displayNames, data.display_names || {});
  const dn = (name) => displayNames[name] || name;

  // Dates on the time axes when the scenario declares `time: {start: YYYY-MM, tick: ...}`.
  const time = data.scenario && data.scenario.time;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function tickDate(t) {
    if (!time) return String(t);
    const [y0, m0] = time.start.split('-').map(Number);
    const months = (m0 - 1) + Math.round(t) * ({ month: 1, quarter: 3, year: 12 }[time.tick] || 1);
    const y = y0 + Math.floor(months / 12), m = ((months % 12) + 12) % 12;
    if (time.tick === 'year') return String(y);
    if (time.tick === 'quarter') return y + ' Q' + (Math.floor(m / 3) + 1);
    return MONTHS[m] + ' ' + y;
  }
  const timeAxisName = time ? 'date (one tick = one ' + time.tick + ')' : 'tick';

  function labelColor(label) {
    if (LABEL_COLORS[label]) return LABEL_COLORS[label];
    const k = labels.indexOf(label);
    return EXTRA_COLORS[(k < 0 ? 0 : k) % EXTRA_COLORS.length];
  }
  function pretty(name) { return String(name).replace(/_/g, ' '); }
  // The schema's outcome title with each {agent reference} replaced by that agent's name for
  // people, e.g. "Strategies towards China".
  function outcomeTitle() {
    const t = String(SCHEMA.outcome_title || 'labels').replace(/\{([a-z_]+)\}/g, (m, k) => dn((SCHEMA.agents || {})[k] || k));
    return t.charAt(0).toUpperCase() + t.slice(1);
  }
  // The named agents (e.g. the focal power) as meta rows.
  const agentMeta = () => (SCHEMA.agent_refs || []).map((r) => [pretty(r.key), dn((SCHEMA.agents || {})[r.key] || '')]);
  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    return Number(v).toFixed(digits === undefined ? 3 : digits);
  }

  // Small DOM helper: el('div', {class: 'x'}, child, 'text', ...).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }
  function chip(label) {
    return el('span', { class: 'chip', 'data-label': label }, el('span', { class: 'swatch', style: 'background:' + labelColor(label) }), pretty(label));
  }
  // A key drawn in HTML above a group of charts: [{text, color, dash}] (no paginated legends).
  function key(entries) {
    return el('div', { class: 'legend key' }, ...entries.map((e) => el('span', { class: 'chip' },
      el('span', { class: 'swatch line', style: 'border-top: 3px ' + (e.dash === 'solid' || !e.dash ? 'solid' : (e.dash === 'dotted' ? 'dotted' : 'dashed')) + ' ' + e.color }), e.text)));
  }

  const charts = [];
  // Draws one chart in a new card: title, chart, "how to read this" note. Returns the chart.
  function chartCard(parent, title, note, option, opts) {
    const o = opts || {};
    const box = el('div', { class: 'chart' + (o.tall ? ' tall' : ''), 'data-chart': o.id || title });
    if (o.height) box.style.height = o.height + 'px';
    const card = el('div', { class: 'card' }, el('h3', null, title), o.controls || null, box, el('p', { class: 'howto' }, note));
    parent.appendChild(card);
    const chart = echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' } }, option));
    charts.push(chart);
    // A card's width is known only after layout (two-column grids): follow the box, not just
    // the window, or the canvas keeps the width it had when it was made and spills over.
    if (window.ResizeObserver) new ResizeObserver(() => chart.resize()).observe(box);
    return chart;
  }
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((c) => c.resize()), 60);
  });
  const toolbox = { feature: { saveAsImage: { title: 'save as PNG', pixelRatio: 2 }, dataZoom: { title: { zoom: 'zoom', back: 'reset zoom' } } }, right: 10, top: 0 };

  function meta(pairs) {
    const dl = document.getElementById('meta');
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === '') continue;
      dl.appendChild(el('dt', null, k));
      dl.appendChild(el('dd', null, String(v)));
    }
  }
  function legend() {
    const box = document.getElementById('legend');
    box.appendChild(el('span', { class: 'chip' }, el('strong', null, 'labels:')));
    for (const l of labels) box.appendChild(chip(l));
  }
  function section(title, intro) {
    const s = el('section', null, el('h2', null, title));
    if (intro) s.appendChild(el('p', null, intro));
    root.appendChild(s);
    return s;
  }

  // ---------------------------------------------------------------- run reports
  function renderRun() {
    const sc = data.scenario;
    // The agents the labels are read towards (the schema's outputs_towards, e.g. the focal
    // power), and the kinds: the labelled kind chooses towards the others (schema kinds.chosen).
    const focal = SCHEMA.outputs_towards ? SCHEMA.agents[SCHEMA.outputs_towards] : null;
    const kinds = SCHEMA.kinds;
    const kindOf = {};
    if (kinds) for (const s of data.states) kindOf[s.name] = s[kinds.key];
    const labelled = SCHEMA.labelled_kind;
    const powers = kinds ? data.states.filter((s) => kindOf[s.name] !== labelled).map((s) => s.name) : [];
    const small = data.outcomes.map((o) => o.state);
    const smallQ = kinds && labelled ? kinds.chosen[labelled] || [] : [];
    const otherKind = kinds ? kinds.values.find((k) => k !== labelled) : null;
    const powerQ = otherKind ? kinds.chosen[otherKind] || [] : [];
    const ticks = data.ticks;
    const lastTick = ticks[ticks.length - 1];
    meta([
      ['scenario', sc.name + (sc.description ? ' — ' + sc.description : '')],
      ['model', sc.model],
      ['seed', sc.seed],
      ['ticks', sc.ticks],
      ...agentMeta(),
      ['time', time ? tickDate(ticks[0]) + ' – ' + tickDate(lastTick) + ' (one tick = one ' + time.tick + ')' : ''],
      ['label window', sc.window > 0 ? 'the last ' + sc.window + ' ticks (labels average behaviour over it)' : ''],
      ['source', data.source],
      ['generated', data.generated + ' by alignsim ' + data.version],
    ]);
    legend();

    // Labels: the final table, then (when labels.csv exists) the labels tick by tick.
    const who = labelled ? pretty(labelled) : 'state';
    const sec = section(outcomeTitle(), sc.window > 0
      ? 'Each ' + who + '\'s ' + (kinds ? 'strategy ' : '') + 'label at the end of the run, read by the classifier from its behaviour averaged over the last ' +
        sc.window + ' ticks (' + (time ? tickDate(Math.max(0, lastTick - sc.window + 1)) + ' – ' + tickDate(lastTick) : 'ticks ' + Math.max(0, lastTick - sc.window + 1) + '–' + lastTick) + ').'
      : 'Each ' + who + '\'s label at the end of the run (' + (time ? tickDate(lastTick) : 'tick ' + lastTick) + '), as the model classifies it.');
    // The features are the model's: whatever summary.json names.
    const featureNames = Array.from(new Set([].concat(...data.outcomes.map((o) => Object.keys(o.features)))));
    const table = el('table', null, el('tr', null, el('th', null, 'state'), el('th', null, 'label'), ...qualifiers.map((q) => el('th', null, pretty(q))),
      ...featureNames.map((f) => el('th', { class: 'num' }, pretty(f))), el('th', null, 'reason')));
    for (const o of data.outcomes) {
      table.appendChild(el('tr', { 'data-state': o.state }, el('td', null, dn(o.state)), el('td', null, chip(o.label)), ...qualifiers.map((q) => el('td', null, o[q])),
        ...featureNames.map((f) => el('td', { class: 'num' }, fmt(o.features[f], 2))), el('td', null, o.reason)));
    }
    sec.appendChild(el('div', { class: 'card' }, table,
      el('p', { class: 'howto' }, 'The columns are the features the classifier reads the label from, averaged over the label window, as the model names them' + (focal ? ' (towards ' + dn(focal) +
        ' unless the name says otherwise)' : '') + '. The reason states the thresholds the classifier applied.')));

    if (data.label_history) {
      const names = small.filter((n) => data.label_history[n]);
      const segs = {};  // label -> [[start, end, row]]
      names.forEach((name, row) => {
        const rows = data.label_history[name];
        let start = 0;
        for (let k = 1; k <= rows.length; k++) {
          if (k === rows.length || rows[k][1] !== rows[start][1]) {
            const label = rows[start][1];
            const end = k < rows.length ? rows[k][0] : rows[k - 1][0] + 1;
            (segs[label] = segs[label] || []).push([rows[start][0], end, row, name, label]);
            start = k;
          }
        }
      });
      const series = labels.filter((l) => segs[l]).map((l) => ({
        name: pretty(l), type: 'custom', itemStyle: { color: labelColor(l) }, encode: { x: [0, 1], y: 2 },
        data: segs[l],
        renderItem: (params, api) => {
          const a = api.coord([api.value(0), api.value(2)]);
          const b = api.coord([api.value(1), api.value(2)]);
          const h = api.size([0, 1])[1] * 0.7;
          return { type: 'rect', shape: { x: a[0], y: a[1] - h / 2, width: Math.max(1, b[0] - a[0]), height: h }, style: api.style() };
        },
      }));
      chartCard(sec, 'Labels over time', 'Each row is a ' + who + '; the colour is the label the classifier gives at that tick over the trailing ' +
        sc.window + '-tick window (over fewer ticks at the start). The label at the last tick is the final label above.', {
        tooltip: { formatter: (p) => dn(p.value[3]) + ': ' + pretty(p.value[4]) + ', ' + tickDate(p.value[0]) + ' – ' + tickDate(p.value[1] - 1) },
        legend: { top: 0, left: 0, right: 90 }, toolbox,
        grid: { left: 110, right: 30, top: 50, bottom: 50 },
        xAxis: { type: 'value', name: timeAxisName, nameLocation: 'middle', nameGap: 28, min: ticks[0], max: lastTick + 1, axisLabel: { formatter: tickDate, hideOverlap: true } },
        yAxis: { type: 'category', data: names.map(dn), inverse: true },
        series,
      }, { id: 'labels-over-time', height: 120 + 34 * names.length });
    }

    // Trajectories of each small state towards every great power.
    const find = (state, partner, q) => data.series.find((s) => s.state === state && s.partner === partner && s.quantity === q);
    const qColors = PALETTE.quantities;
    const partnersInOrder = [focal].concat(powers.filter((p) => p !== focal));
    const partnerStyle = (p) => PALETTE.partner_dashes[Math.max(0, partnersInOrder.indexOf(p)) % PALETTE.partner_dashes.length];
    const eventLines = data.events.map((e) => ({ xAxis: e.tick, name: e.label || e.name }));
    const eventMarks = () => ({ symbol: 'none', silent: true, lineStyle: { color: PALETTE.events, type: 'dashed' },
      label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10, color: '#333' }, data: eventLines });
    const windowArea = sc.window > 0 ? [[{ name: 'label window', xAxis: Math.max(ticks[0], lastTick - sc.window + 1) }, { xAxis: lastTick }]] : [];
    const timeAxis = { type: 'value', name: timeAxisName, nameLocation: 'middle', nameGap: 28, min: ticks[0], max: lastTick, axisLabel: { formatter: tickDate, hideOverlap: true } };
    // What the labelled kind chooses towards the other kinds (e.g. small states towards great
    // powers), then what the other kinds choose towards it: the schema's kinds.chosen.
    if (smallQ.length) {
    const trajSec = section(pretty(labelled).replace(/^./, (c) => c.toUpperCase()) + 's\' policies',
      'Policies of each small state towards ' + dn(focal) + ' (solid) and the other great powers (' + powers.filter((p) => p !== focal).map((p) => dn(p) + ', ' + pretty(partnerStyle(p) + '').replace(/[0-9,]+/, 'dash-dot')).join('; ') + ').');
    trajSec.appendChild(key(smallQ.map((q) => ({ text: q, color: qColors[q] }))
      .concat(partnersInOrder.map((p) => ({ text: dn(p), color: '#444', dash: partnerStyle(p) })))
      .concat(data.events.length ? [{ text: 'events', color: PALETTE.events, dash: 'dashed' }] : [])));
    const grid = el('div', { class: 'grid2' });
    trajSec.appendChild(grid);
    for (const name of small) {
      const series = [];
      for (const q of smallQ) {
        for (const p of powers) {
          const s = find(name, p, q);
          if (!s) continue;
          series.push({ name: q + ' → ' + dn(p), type: 'line', showSymbol: false, sampling: 'lttb', data: ticks.map((t, k) => [t, s.values[k]]),
            lineStyle: { color: qColors[q], type: partnerStyle(p), width: p === focal ? 2 : 1.4 }, itemStyle: { color: qColors[q] } });
        }
      }
      if (series.length) {
        series[0].markArea = { silent: true, itemStyle: { color: 'rgba(120,120,120,0.10)' }, label: { position: 'insideBottom', color: '#666' }, data: windowArea };
        if (eventLines.length) series[0].markLine = eventMarks();
      }
      const outcome = data.outcomes.find((o) => o.state === name);
      chartCard(grid, dn(name) + ' — final label: ' + pretty(outcome.label), 'Lines are policy levels from 0 (none) to 1 (full); colour is the policy, line style the partner. The shaded band is the window the label is read from' +
        (eventLines.length ? '; dashed vertical lines are scheduled events.' : '.'), {
        tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v, 3), axisPointer: { label: { formatter: (a) => tickDate(a.value) } } },
        toolbox: { feature: toolbox.feature, right: 10, top: 0 },
        grid: { left: 56, right: 20, top: 36, bottom: 48 },
        xAxis: timeAxis,
        yAxis: { type: 'value', name: 'policy level (0–1)', min: 0, max: 1 },
        series,
      }, { id: 'trajectory-' + name });
    }

    // The other kind's two choices towards each labelled state (e.g. the great powers'
    // inducement and pressure): the first on the left axis, the second on the right.
    const [qa, qb] = powerQ;
    if (qa) {
    const Q = (q) => q.charAt(0).toUpperCase() + q.slice(1);
    const gpSec = section(pretty(otherKind).replace(/^./, (c) => c.toUpperCase()) + 's\' policies', Q(qa) + ' (left axis, ' + (data.units[qa] || '') + ')' + (qb ? ' and ' + qb + ' (right axis, ' + (data.units[qb] || '') + ')' : '') + ' of each ' + pretty(otherKind) + ' towards each ' + pretty(labelled) + '.');
    gpSec.appendChild(key(small.map((name, k) => ({ text: dn(name), color: SERIES_COLORS[k % SERIES_COLORS.length] }))
      .concat([{ text: qa, color: '#444' }].concat(qb ? [{ text: qb, color: '#444', dash: 'dashed' }] : []))));
    const gpGrid = el('div', { class: 'grid2' });
    gpSec.appendChild(gpGrid);
    for (const p of powers) {
      const series = [];
      small.forEach((name, k) => {
        const color = SERIES_COLORS[k % SERIES_COLORS.length];
        const ind = find(p, name, qa), pre = qb ? find(p, name, qb) : null;
        if (ind) series.push({ name: qa + ' → ' + dn(name), type: 'line', showSymbol: false, yAxisIndex: 0, data: ticks.map((t, i) => [t, ind.values[i]]), lineStyle: { color, width: 2 }, itemStyle: { color } });
        if (pre) series.push({ name: qb + ' → ' + dn(name), type: 'line', showSymbol: false, yAxisIndex: 1, data: ticks.map((t, i) => [t, pre.values[i]]), lineStyle: { color, type: 'dashed' }, itemStyle: { color } });
      });
      if (!series.length) continue;
      if (eventLines.length) series[0].markLine = eventMarks();
      chartCard(gpGrid, dn(p) + (p === focal ? ' (' + pretty(SCHEMA.outputs_towards) + ')' : ''), 'Colour is the ' + pretty(labelled) + ' (key above); solid lines are ' + qa + ' (left axis)' + (qb ? ', dashed lines ' + qb + ' (right axis)' : '') + '.', {
        tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v, 3), axisPointer: { label: { formatter: (a) => tickDate(a.value) } } },
        toolbox: { feature: toolbox.feature, right: 10, top: 0 },
        grid: { left: 60, right: 60, top: 40, bottom: 48 },
        xAxis: timeAxis,
        yAxis: [{ type: 'value', name: qa + ' (' + (data.units[qa] || '') + ')', min: 0 },
          { type: 'value', name: (qb || '') + ' (0–1)', min: 0, max: 1, splitLine: { show: false } }],
        series,
      }, { id: 'power-' + p });
    }

    }
    }

    // Each agent's own quantities over time (monadic series: e.g. a side and a frustration),
    // one chart per labelled agent, one line per quantity.
    const monadic = data.series.filter((x) => x.partner === undefined);
    if (monadic.length) {
      const qs = SCHEMA.quantities.map((q) => q.name).filter((q) => monadic.some((x) => x.quantity === q));
      const qColor = (q) => SERIES_COLORS[Math.max(0, qs.indexOf(q)) % SERIES_COLORS.length];
      const mSec = section('Each ' + who + ' over time', 'The model\'s per-' + who + ' quantities (' + qs.map(pretty).join(', ') + ') at every tick.');
      mSec.appendChild(key(qs.map((q) => ({ text: pretty(q), color: qColor(q) }))
        .concat(data.events.length ? [{ text: 'events', color: PALETTE.events, dash: 'dashed' }] : [])));
      const mGrid = el('div', { class: 'grid2' });
      mSec.appendChild(mGrid);
      for (const name of data.states.map((x) => x.name)) {
        const series = qs.map((q) => monadic.find((x) => x.state === name && x.quantity === q)).filter(Boolean).map((x) => ({
          name: pretty(x.quantity), type: 'line', showSymbol: false, step: 'end', data: ticks.map((t, k) => [t, x.values[k]]),
          lineStyle: { color: qColor(x.quantity), width: 2 }, itemStyle: { color: qColor(x.quantity) } }));
        if (!series.length) continue;
        if (eventLines.length) series[0].markLine = eventMarks();
        const outcome = data.outcomes.find((o) => o.state === name);
        chartCard(mGrid, dn(name) + (outcome ? ' — final label: ' + pretty(outcome.label) : ''), 'One line per quantity, at the end of every tick' + (eventLines.length ? '; dashed vertical lines are scheduled events.' : '.'), {
          tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v, 3), axisPointer: { label: { formatter: (a) => tickDate(a.value) } } },
          toolbox: { feature: toolbox.feature, right: 10, top: 0 },
          grid: { left: 56, right: 20, top: 36, bottom: 48 },
          xAxis: timeAxis, yAxis: { type: 'value', scale: true },
          series,
        }, { id: 'agent-' + name });
      }
    }

    // The model-level quantities (scalars, e.g. an energy), one curve each.
    if ((data.scalars || []).length) {
      const zSec = section('The model as a whole', 'Quantities of the whole model (' + data.scalars.map((z) => pretty(z.quantity)).join(', ') + ') at every tick.');
      const zGrid = el('div', { class: 'grid2' });
      zSec.appendChild(zGrid);
      data.scalars.forEach((z, k) => {
        const color = SERIES_COLORS[k % SERIES_COLORS.length];
        const series = [{ name: pretty(z.quantity), type: 'line', showSymbol: false, data: ticks.map((t, i) => [t, z.values[i]]), lineStyle: { color, width: 2 }, itemStyle: { color } }];
        if (eventLines.length) series[0].markLine = eventMarks();
        chartCard(zGrid, pretty(z.quantity).replace(/^./, (c) => c.toUpperCase()), 'The model\'s ' + pretty(z.quantity) + ' at the end of every tick.', {
          tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v, 4), axisPointer: { label: { formatter: (a) => tickDate(a.value) } } },
          toolbox: { feature: toolbox.feature, right: 10, top: 0 },
          grid: { left: 64, right: 20, top: 36, bottom: 48 },
          xAxis: timeAxis, yAxis: { type: 'value', name: pretty(z.quantity), scale: true },
          series,
        }, { id: 'scalar-' + z.quantity });
      });
    }

    // Utility decomposition from explain.json.
    if (data.explain && data.explain.states.length) {
      const ex = data.explain.states;
      const terms = Object.keys(ex[0].terms).filter((t) => t !== 'total');
      const exTitle = /utility/.test(data.explain.units) ? 'Utility decomposition' : 'What drives each choice';
      const exSec = section(exTitle, 'Each ' + who + '\'s ' + (/utility/.test(data.explain.units) ? 'utility' : 'choice') + ' at the end of the run split into its terms (' + data.explain.units + '), as `alignsim explain` prints it.');
      const termColor = (t, k) => PALETTE.utility_terms[t] || SERIES_COLORS[k % SERIES_COLORS.length];
      const series = terms.map((t, k) => ({ name: t, type: 'bar', stack: 'terms', data: ex.map((s) => s.terms[t]), itemStyle: { color: termColor(t, k) } }));
      if (ex[0].terms.total !== undefined) series.push({ name: 'total', type: 'scatter', symbol: 'diamond', symbolSize: 14, data: ex.map((s) => s.terms.total), itemStyle: { color: '#111' }, z: 5 });
      chartCard(exSec, (/utility/.test(data.explain.units) ? 'Utility terms' : 'Terms') + ' by state', 'Bars above zero add to utility, bars below subtract; the diamond is the total. Compare which term dominates each state\'s choice.', {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt(v, 4) },
        legend: { top: 0 }, toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10 },
        grid: { left: 70, right: 20, top: 50, bottom: 40 },
        xAxis: { type: 'category', data: ex.map((s) => dn(s.state)) },
        yAxis: { type: 'value', name: /utility/.test(data.explain.units) ? 'utility per tick (GDP share)' : data.explain.units },
        series,
      }, { id: 'utility-terms' });
      for (const s of ex) {
        const partners = Object.keys(Object.values(s.by_partner)[0] || {});
        const t = el('table', null, el('tr', null, el('th', null, 'term'), ...partners.map((p) => el('th', { class: 'num' }, dn(p)))));
        for (const [term, row] of Object.entries(s.by_partner))
          t.appendChild(el('tr', null, el('td', null, pretty(term)), ...partners.map((p) => el('td', { class: 'num' }, fmt(row[p], 4)))));
        exSec.appendChild(el('details', null, el('summary', null, dn(s.state) + ': by partner and why'), t,
          el('ul', null, ...s.reasons.map((r) => el('li', null, r)))));
      }
    } else {
      section('Utility decomposition', 'This run directory has no explain.json (it was written by an older alignsim); run `alignsim explain SCENARIO --state NAME` for one state\'s decomposition.');
    }
    const yamlSec = section('Scenario');
    yamlSec.appendChild(el('details', null, el('summary', null, 'the fully resolved scenario (scenario.resolved.yaml): rerun with `alignsim run` to reproduce'), el('pre', null, data.resolved_yaml)));
  }

  // ---------------------------------------------------------------- sweep reports
  function renderSweep() {
    const sw = data.sweep;
    const params = data.parameters;
    const D = params.length;
    const counts = sw.counts || {};
    const timings = sw.timings || {};
    meta([
      ['scenario', sw.scenario + (sw.description ? ' — ' + sw.description : '')],
      ...agentMeta(),
      ['design', sw.design + ', ' + (counts.points !== undefined ? counts.points + ' points' : '') + (sw.replications ? ' × ' + sw.replications + ' replications' : '')],
      ['parameters', params.map((p) => (p.label || p.path) + ' — ' + p.path + (p.unit && p.unit !== '1' ? ' (' + p.unit + ')' : '')).join('; ')],
      ['runs', counts.runs_done !== undefined ? counts.runs_done + ' of ' + counts.runs + ' done, ' + (counts.runs_failed || 0) + ' failed' : ''],
      ['ticks per run', sw.ticks],
      ['master seed', sw.master_seed],
      ['status', sw.status],
      ['started', timings.started ? timings.started + ' (' + fmt(timings.seconds, 1) + ' s on ' + timings.threads + ' threads)' : ''],
      ['alignsim', sw.version + (sw.git ? ' (git ' + String(sw.git).slice(0, 12) + ')' : '')],
      ['source', data.source],
      ['generated', data.generated + ' by alignsim ' + data.version],
    ]);
    legend();
    if (sw.status !== 'complete')
      root.appendChild(el('p', { class: 'warning' }, 'This sweep is ' + sw.status + ': the report shows the ' + data.points.length +
        ' point rows written so far. Finish it with `alignsim sweep SPEC --out DIR --resume` and make the report again.'));
    if (sw.failures > 0)
      root.appendChild(el('p', { class: 'warning' }, sw.failures + ' runs failed (manifest.json lists them); they are left out of the frequencies.'));

    const unitOf = (k) => (params[k].unit && params[k].unit !== '1' ? params[k].unit : '');  // '1': dimensionless
    const axisName = (k) => (params[k].label || params[k].path) + (unitOf(k) ? ' (' + unitOf(k) + ')' : '');
    const L = data.labels.length;

    // Share of runs per label, one bar per state.
    const fsec = section('Label frequencies', 'How often each label came out, over every run of the sweep.');
    const totals = data.states.map((st) => {
      const acc = new Array(L).fill(0);
      let n = 0;
      for (const r of data.points) {
        if (r.state !== st || !r.runs) continue;
        n += r.runs;
        r.p.forEach((p, k) => { acc[k] += (p || 0) * r.runs; });
      }
      return acc.map((a) => (n ? a / n : 0));
    });
    chartCard(fsec, 'Share of runs per label', 'Each bar is one reported state; segment length is the share of all its runs (over every design point and replication) that ended with that label.', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (v * 100).toFixed(1) + ' %' },
      legend: { top: 0 }, toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10 },
      grid: { left: 100, right: 30, top: 60, bottom: 40 },
      xAxis: { type: 'value', name: 'share of runs', nameLocation: 'middle', nameGap: 26, min: 0, max: 1, axisLabel: { formatter: (v) => Math.round(v * 100) + ' %' } },
      yAxis: { type: 'category', data: data.states.map(dn) },
      series: data.labels.map((l, k) => ({ name: pretty(l), type: 'bar', stack: 'share', itemStyle: { color: labelColor(l) }, data: totals.map((t) => t[k]) })),
    }, { id: 'label-shares', height: 140 + 40 * data.states.length });

    // Phase diagrams (grid) or design scatter (other designs), over two chosen parameters.
    let ax = { x: 0, y: Math.min(1, D - 1) };
    const psec = section(D >= 2 ? 'Phase diagrams' : 'Labels along the parameter',
      sw.design === 'grid' && D >= 2
        ? 'The modal (most frequent) label at every grid cell of two parameters' + (D > 2 ? ', label frequencies averaged over the other parameters' : '') + '.'
        : (D >= 2 ? 'Every design point of the ' + sw.design + ' design over two parameters, coloured by its modal label.' : 'How the label mix changes along the swept parameter.'));
    let controls = null;
    if (D > 2) {
      const mk = (which) => {
        const s = el('select', { 'aria-label': which + ' axis' }, ...params.map((p, k) => el('option', { value: String(k) }, p.label || p.path)));
        s.value = String(ax[which]);
        s.addEventListener('change', () => { ax[which] = Number(s.value); drawPhase(); drawOutputs(); });
        return s;
      };
      controls = el('p', null, 'x axis', mk('x'), 'y axis', mk('y'));
      psec.appendChild(controls);
    }
    const phaseBox = el('div', { class: 'grid2' });
    psec.appendChild(phaseBox);
    const levels = (k) => Array.from(new Set(data.points.map((r) => r.x[k]).filter((v) => v !== null))).sort((a, b) => a - b);
    const short = (v) => (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.01) ? Number(v).toPrecision(3) : String(Number(v.toFixed(3))));

    function drawPhase() {
      for (const c of phaseCharts) { charts.splice(charts.indexOf(c), 1); c.dispose(); }
      phaseCharts.length = 0;
      phaseBox.replaceChildren();
      for (const st of data.states) {
        const rows = data.points.filter((r) => r.state === st && r.runs > 0);
        if (sw.design === 'grid' && D >= 2 && ax.x !== ax.y) {
          const xs = levels(ax.x), ys = levels(ax.y);
          const cells = new Map();
          for (const r of rows) {
            const key = xs.indexOf(r.x[ax.x]) + ',' + ys.indexOf(r.x[ax.y]);
            const c = cells.get(key) || { p: new Array(L).fill(0), n: 0 };
            r.p.forEach((p, k) => { c.p[k] += (p || 0) * r.runs; });
            c.n += r.runs;
            cells.set(key, c);
          }
          const cellData = [];
          for (const [key, c] of cells) {
            const [i, j] = key.split(',').map(Number);
            const p = c.p.map((v) => v / c.n);
            let m = 0;
            p.forEach((v, k) => { if (v > p[m] + 1e-12) m = k; });  // ties: first in label order, as points.csv
            cellData.push([i, j, m, p[m], c.n, p]);
          }
          phaseCharts.push(chartCard(phaseBox, dn(st) + ': modal label', 'Each cell is one combination of the two parameters; its colour is the label most runs ended with, its strength the share of runs with that label (pale = mixed outcomes). Hover for every label\'s frequency.', {
            tooltip: { formatter: (q) => {
              const v = q.value;
              return axisName(ax.x) + ' = ' + short(xs[v[0]]) + '<br>' + axisName(ax.y) + ' = ' + short(ys[v[1]]) + '<br>' + v[4] + ' runs<br>' +
                data.labels.map((l, k) => (v[5][k] > 0 ? '<span style="color:' + labelColor(l) + '">■</span> ' + pretty(l) + ': ' + (v[5][k] * 100).toFixed(0) + ' %' : '')).filter(Boolean).join('<br>');
            } },
            toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10 },
            grid: { left: 70, right: 175, top: 40, bottom: 60 },
            xAxis: { type: 'category', data: xs.map(short), name: axisName(ax.x), nameLocation: 'middle', nameGap: 30, splitArea: { show: false } },
            yAxis: { type: 'category', data: ys.map(short), name: axisName(ax.y), nameLocation: 'middle', nameGap: 50 },
            visualMap: [
              { type: 'piecewise', dimension: 2, orient: 'vertical', right: 0, top: 'middle', itemGap: 6, textStyle: { fontSize: 11 }, seriesIndex: 0,
                pieces: data.labels.map((l, k) => ({ value: k, label: pretty(l), color: labelColor(l) })) },
              { type: 'continuous', dimension: 3, min: 0, max: 1, show: false, seriesIndex: 0, inRange: { colorAlpha: [0.35, 1] } },
            ],
            series: [{ type: 'heatmap', data: cellData, itemStyle: { borderColor: '#fff', borderWidth: 1 }, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
          }, { id: 'phase-' + st, tall: true }));
        } else if (D >= 2 && ax.x !== ax.y) {
          const series = data.labels.map((l, k) => ({
            name: pretty(l), type: 'scatter', symbolSize: 8, itemStyle: { color: labelColor(l), opacity: 0.85 },
            data: rows.filter((r) => r.modal === l).map((r) => [r.x[ax.x], r.x[ax.y], r.p[k], r.id]),
          })).filter((s) => s.data.length);
          phaseCharts.push(chartCard(phaseBox, dn(st) + ': modal label at each design point', 'Each dot is one design point; its colour is the label most of its runs ended with. Regions of one colour are regimes; mixed regions are boundaries.', {
            tooltip: { formatter: (q) => 'point ' + q.value[3] + '<br>' + axisName(ax.x) + ' = ' + short(q.value[0]) + '<br>' + axisName(ax.y) + ' = ' + short(q.value[1]) + '<br>' + q.seriesName + ' in ' + (q.value[2] * 100).toFixed(0) + ' % of runs' },
            legend: { top: 0 }, toolbox: { feature: toolbox.feature, right: 10, top: 24 },
            grid: { left: 70, right: 30, top: 60, bottom: 50 },
            xAxis: { type: params[ax.x].log ? 'log' : 'value', name: axisName(ax.x), nameLocation: 'middle', nameGap: 28, scale: true },
            yAxis: { type: params[ax.y].log ? 'log' : 'value', name: axisName(ax.y), nameLocation: 'middle', nameGap: 50, scale: true },
            series,
          }, { id: 'phase-' + st, tall: true }));
        }
        // Label mix along the x parameter: grid levels, or ten bins for the other designs.
        const bins = [];
        if (sw.design === 'grid') {
          for (const v of levels(ax.x)) bins.push({ name: short(v), test: (x) => x === v });
        } else {
          const xsAll = rows.map((r) => r.x[ax.x]);
          const lo = Math.min(...xsAll), hi = Math.max(...xsAll);
          const B = 10, w = (hi - lo) / B || 1;
          for (let b = 0; b < B; b++)
            bins.push({ name: short(lo + (b + 0.5) * w), test: (x) => Math.min(B - 1, Math.floor((x - lo) / w)) === b });
        }
        const mix = bins.map((b) => {
          const acc = new Array(L).fill(0);
          let n = 0;
          for (const r of rows) if (b.test(r.x[ax.x])) { n += r.runs; r.p.forEach((p, k) => { acc[k] += (p || 0) * r.runs; }); }
          return acc.map((a) => (n ? a / n : 0));
        });
        phaseCharts.push(chartCard(phaseBox, dn(st) + ': label mix along ' + (params[ax.x].label || params[ax.x].path), 'Each bar is ' + (sw.design === 'grid' ? 'one level' : 'one tenth of the range') + ' of ' + (params[ax.x].label || params[ax.x].path) +
          '; segments are the share of runs ending with each label' + (D > 1 ? ', pooled over the other parameters' : '') + '.', {
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (v * 100).toFixed(1) + ' %' },
          legend: { type: 'scroll', top: 0 }, toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10, top: 24 },
          grid: { left: 60, right: 20, top: 60, bottom: 50 },
          xAxis: { type: 'category', data: bins.map((b) => b.name), name: axisName(ax.x), nameLocation: 'middle', nameGap: 30 },
          yAxis: { type: 'value', name: 'share of runs', min: 0, max: 1, axisLabel: { formatter: (v) => Math.round(v * 100) + ' %' } },
          series: data.labels.map((l, k) => ({ name: pretty(l), type: 'bar', stack: 'mix', barCategoryGap: '10%', itemStyle: { color: labelColor(l) }, data: mix.map((m) => m[k]) })),
        }, { id: 'mix-' + st }));
      }
    }
    const phaseCharts = [];
    drawPhase();

    // ---- continuous outputs: every mean_<feature> of points.csv and, when the sweep kept time
    // series, every quantity towards every partner at the end of the runs; the names come from
    // the data, so a model's new features appear here unchanged.
    const outputs = data.features.map((f, k) => ({ id: 'f' + k, name: pretty(f), get: (r) => r.f[k], ci: (r) => (r.ci ? r.ci[k] : null) }))
      .concat((data.partner_outputs || []).map((o, k) => ({ id: 'g' + k, name: pretty(o.quantity) + ' towards ' + dn(o.partner) + ' (end of run)', get: (r) => (r.g ? r.g[k] : null), ci: (r) => (r.gci ? r.gci[k] : null) })));
    // Marginal means of an output along parameter k (grid levels, or five bins otherwise).
    function marginal(rows, out, k) {
      const xs = rows.map((r) => r.x[k]).filter((v) => v !== null);
      if (!xs.length) return [];
      const groups = new Map();
      let keyOf = (x) => x;
      if (sw.design !== 'grid') {
        const lo = Math.min(...xs), hi = Math.max(...xs), B = 5, w = (hi - lo) / B || 1;
        keyOf = (x) => lo + (Math.min(B - 1, Math.floor((x - lo) / w)) + 0.5) * w;
      }
      for (const r of rows) {
        const v = out.get(r);
        if (v === null || v === undefined || r.x[k] === null) continue;
        const g = groups.get(keyOf(r.x[k])) || { sum: 0, n: 0, labels: new Array(L).fill(0) };
        g.sum += v * r.runs; g.n += r.runs;
        r.p.forEach((p, j) => { g.labels[j] += (p || 0) * r.runs; });
        groups.set(keyOf(r.x[k]), g);
      }
      return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([x, g]) => ({ x, mean: g.n ? g.sum / g.n : null, labels: g.labels.map((v) => v / (g.n || 1)) }));
    }
    const modalOf = (p) => { let m = 0; p.forEach((v, k) => { if (v > p[m] + 1e-12) m = k; }); return m; };

    // The automatic summary: per state, the strongest effects on the continuous outputs (the
    // largest change of the marginal mean along a parameter, or the largest total Sobol index),
    // and where the modal label changes along each parameter.
    function summary() {
      const sentences = [];
      for (const st of data.states) {
        const rows = data.points.filter((r) => r.state === st && r.runs > 0);
        const effects = [];
        outputs.forEach((out) => params.forEach((p, k) => {
          const m = marginal(rows, out, k).filter((g) => g.mean !== null);
          if (m.length < 2) return;
          const lo = m.reduce((a, g) => (g.mean < a.mean ? g : a)), hi = m.reduce((a, g) => (g.mean > a.mean ? g : a));
          const first = m[0], last = m[m.length - 1];
          effects.push({ out, k, size: hi.mean - lo.mean, first, last });
        }));
        effects.sort((a, b) => b.size - a.size);
        // Per parameter, the classifier feature that changes most along it, then the largest
        // change of any other output (towards a partner) if it is larger still.
        const top = [];
        const nFeatures = data.features.length;
        params.forEach((p, k) => {
          const own = effects.filter((e) => e.k === k);
          const feature = own.find((e) => outputs.indexOf(e.out) < nFeatures);
          if (feature && feature.size >= 0.05) top.push(feature);
          const other = own.find((e) => outputs.indexOf(e.out) >= nFeatures);
          if (other && other.size >= 0.05 && (!feature || other.size > feature.size + 0.05)) top.push(other);
        });
        const parts = top.map((e) => dn(st) + '\'s ' + e.out.name + ' ' + (e.last.mean >= e.first.mean ? 'rises' : 'falls') + ' from ' + fmt(e.first.mean, 2) + ' to ' + fmt(e.last.mean, 2) +
          ' as ' + (params[e.k].label || params[e.k].path) + ' goes from ' + short(e.first.x) + ' to ' + short(e.last.x) + (D > 1 ? ' (averaged over the other parameter' + (D > 2 ? 's' : '') + ')' : ''));
        if (!top.length) parts.push('no continuous output of ' + dn(st) + ' changes by more than 0.05 across the design');
        // Label boundaries: along each parameter, within each combination of the others.
        params.forEach((p, k) => {
          if (sw.design !== 'grid') {
            const m = marginal(rows, outputs[0] || { get: () => 0 }, k);
            if (m.length >= 2) {
              const a = modalOf(m[0].labels), b = modalOf(m[m.length - 1].labels);
              if (a !== b) parts.push('its most frequent label goes from ' + pretty(data.labels[a]) + ' to ' + pretty(data.labels[b]) + ' along ' + (p.label || p.path));
            }
            return;
          }
          const others = new Map();
          for (const r of rows) {
            const rest = r.x.filter((_, j) => j !== k).join('|');
            (others.get(rest) || others.set(rest, []).get(rest)).push(r);
          }
          const flips = new Map();  // "from→to" → thresholds
          let lines = 0;
          for (const [rest, list] of others) {
            list.sort((a, b) => a.x[k] - b.x[k]);
            lines += 1;
            for (let j = 1; j < list.length; j++) {
              const a = modalOf(list[j - 1].p), b = modalOf(list[j].p);
              if (a !== b) {
                const f = pretty(data.labels[a]) + ' to ' + pretty(data.labels[b]);
                (flips.get(f) || flips.set(f, []).get(f)).push({ lo: list[j - 1].x[k], hi: list[j].x[k], rest });
              }
            }
          }
          const best = [...flips.entries()].sort((a, b) => b[1].length - a[1].length)[0];
          if (best) {
            const at = best[1].map((t) => (t.lo + t.hi) / 2).sort((a, b) => a - b);
            const where = D > 1 ? ' in ' + best[1].length + ' of ' + lines + ' rows of the other parameter' + (D > 2 ? 's' : '') : '';
            parts.push('its modal label changes from ' + best[0] + ' as ' + (p.label || p.path) + ' passes ' + short(at[Math.floor(at.length / 2)]) +
              (at.length > 1 && at[0] !== at[at.length - 1] ? ' (between ' + short(at[0]) + ' and ' + short(at[at.length - 1]) + ')' : '') + where);
          }
        });
        if (data.sensitivity && data.sensitivity.length) {
          const best = data.sensitivity.filter((r) => r.state === st && r.ST !== null).sort((a, b) => b.ST - a.ST)[0];
          if (best) parts.push('the largest total Sobol index is ' + fmt(best.ST, 2) + ' ± ' + fmt(best.ST_conf, 2) + ', of ' + (best.output.startsWith('p_') ? 'P(' + pretty(best.output.slice(2)) + ')' : pretty(best.output.replace(/^mean_/, ''))) +
            ' on ' + ((params.find((p) => p.path === best.parameter) || {}).label || best.parameter));
        }
        sentences.push(parts.join('; ') + '.');
      }
      return sentences.map((t) => t.charAt(0).toUpperCase() + t.slice(1)).join(' ');
    }
    const summaryBox = el('p', { class: 'summary', id: 'summary' }, summary());
    root.insertBefore(el('section', null, el('h2', null, 'What the sweep found'), summaryBox,
      el('p', { class: 'howto' }, 'Written by the report from the data below: for each state, the continuous outputs that change most along a parameter (marginal means over every other parameter), and where the most frequent label changes. Check each claim in the charts; with few replications the confidence bands are wide.')),
    root.querySelector('section'));

    const osec = section('Continuous outputs', 'The mean of each continuous output over the replications of every design point, with its 95 % confidence band (Student t over the replications). Pick the output; the label charts above say which strategy, these say how much.');
    const outBox = el('div', null);
    osec.appendChild(outBox);
    const outCharts = [];
    const chosen = {};
    function drawOutputs() {
      for (const c of outCharts) { charts.splice(charts.indexOf(c), 1); c.dispose(); }
      outCharts.length = 0;
      outBox.replaceChildren();
      if (!outputs.length) { outBox.appendChild(el('p', null, 'This sweep kept no continuous outputs (outputs.features is empty).')); return; }
      for (const st of data.states) {
        const rows = data.points.filter((r) => r.state === st && r.runs > 0);
        const select = el('select', { 'aria-label': dn(st) + ' output', 'data-state': st }, ...outputs.map((o) => el('option', { value: o.id }, o.name)));
        // Start at the output that changes most across the design.
        if (!chosen[st]) {
          let best = outputs[0], size = -1;
          for (const o of outputs) {
            const vs = rows.map(o.get).filter((v) => v !== null && v !== undefined);
            const d = vs.length ? Math.max(...vs) - Math.min(...vs) : -1;
            if (d > size + 1e-12) { best = o; size = d; }
          }
          chosen[st] = best.id;
        }
        select.value = chosen[st];
        select.addEventListener('change', () => { chosen[st] = select.value; drawOutputs(); });
        const out = outputs.find((o) => o.id === chosen[st]);
        const head = el('h3', null, dn(st) + ': ');
        head.appendChild(select);
        outBox.appendChild(head);
        const pair = el('div', { class: 'grid2' });
        outBox.appendChild(pair);
        const vals = rows.map(out.get).filter((v) => v !== null && v !== undefined);
        const vmin = vals.length ? Math.min(...vals) : 0, vmax = vals.length ? Math.max(...vals) : 1;
        // Heatmap (grid) or coloured scatter over the two chosen parameters.
        if (D >= 2 && ax.x !== ax.y) {
          let option;
          if (sw.design === 'grid') {
            const xs = levels(ax.x), ys = levels(ax.y);
            const cells = new Map();
            for (const r of rows) {
              const v = out.get(r);
              if (v === null || v === undefined) continue;
              const key2 = xs.indexOf(r.x[ax.x]) + ',' + ys.indexOf(r.x[ax.y]);
              const c = cells.get(key2) || { s: 0, n: 0 };
              c.s += v * r.runs; c.n += r.runs;
              cells.set(key2, c);
            }
            option = {
              xAxis: { type: 'category', data: xs.map(short), name: axisName(ax.x), nameLocation: 'middle', nameGap: 30 },
              yAxis: { type: 'category', data: ys.map(short), name: axisName(ax.y), nameLocation: 'middle', nameGap: 50 },
              series: [{ type: 'heatmap', data: [...cells.entries()].map(([k2, c]) => k2.split(',').map(Number).concat([c.s / c.n])), label: { show: xs.length * ys.length <= 64, formatter: (q) => fmt(q.value[2], 2), fontSize: 10 } }],
              tooltip: { formatter: (q) => axisName(ax.x) + ' = ' + short(xs[q.value[0]]) + '<br>' + axisName(ax.y) + ' = ' + short(ys[q.value[1]]) + '<br>' + out.name + ' = ' + fmt(q.value[2], 3) },
            };
          } else {
            option = {
              xAxis: { type: params[ax.x].log ? 'log' : 'value', name: axisName(ax.x), nameLocation: 'middle', nameGap: 28, scale: true },
              yAxis: { type: params[ax.y].log ? 'log' : 'value', name: axisName(ax.y), nameLocation: 'middle', nameGap: 50, scale: true },
              series: [{ type: 'scatter', symbolSize: 9, data: rows.filter((r) => out.get(r) !== null && out.get(r) !== undefined).map((r) => [r.x[ax.x], r.x[ax.y], out.get(r)]) }],
              tooltip: { formatter: (q) => axisName(ax.x) + ' = ' + short(q.value[0]) + '<br>' + axisName(ax.y) + ' = ' + short(q.value[1]) + '<br>' + out.name + ' = ' + fmt(q.value[2], 3) },
            };
          }
          outCharts.push(chartCard(pair, dn(st) + ': ' + out.name + ' over the plane', 'Each cell (or dot) is one design point; its colour is the mean of ' + out.name + ' over its replications (scale on the right).', Object.assign({
            toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10 },
            grid: { left: 70, right: 90, top: 30, bottom: 60 },
            visualMap: { type: 'continuous', dimension: 2, min: vmin, max: vmax > vmin ? vmax : vmin + 1e-9, calculable: true, orient: 'vertical', right: 0, top: 'middle', precision: 2,
              inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] } },
          }, option), { id: 'output-heatmap-' + st, tall: true }));
        }
        // Lines along the x parameter, one per level of the y parameter (at most six), with
        // the confidence bands of the means.
        const yk = D >= 2 && ax.y !== ax.x ? ax.y : null;
        let groups = [{ name: 'all points', test: () => true }];
        if (yk !== null) {
          let ls = levels(yk);
          if (sw.design !== 'grid' || ls.length > 8) {
            const lo = Math.min(...ls), hi = Math.max(...ls), B = Math.min(4, ls.length), w = (hi - lo) / B || 1;
            groups = Array.from({ length: B }, (_, b) => ({ name: short(lo + b * w) + '–' + short(lo + (b + 1) * w), test: (x) => Math.min(B - 1, Math.floor((x - lo) / w)) === b }));
          } else {
            groups = ls.map((v) => ({ name: short(v), test: (x) => x === v }));
          }
        }
        const series = [];
        groups.forEach((g, n) => {
          const colour = SERIES_COLORS[n % SERIES_COLORS.length];
          const sub = rows.filter((r) => yk === null || g.test(r.x[yk]));
          let pts;
          if (sw.design === 'grid') {
            // Pool the points of one x level (other parameters beyond the two are averaged).
            const by = new Map();
            for (const r of sub) {
              const v = out.get(r);
              if (v === null || v === undefined) continue;
              const b = by.get(r.x[ax.x]) || { s: 0, n: 0, ci: [] };
              b.s += v * r.runs; b.n += r.runs; b.ci.push(out.ci(r));
              by.set(r.x[ax.x], b);
            }
            pts = [...by.entries()].sort((a, b) => a[0] - b[0]).map(([x, b]) => {
              const cis = b.ci.filter((c) => c !== null && c !== undefined);
              const ci = cis.length ? Math.sqrt(cis.reduce((a, c) => a + c * c, 0)) / cis.length : 0;
              return [x, b.s / b.n, ci];
            });
          } else {
            pts = sub.filter((r) => out.get(r) !== null && out.get(r) !== undefined).map((r) => [r.x[ax.x], out.get(r), out.ci(r) || 0]).sort((a, b) => a[0] - b[0]);
          }
          if (!pts.length) return;
          const nameOf = yk === null ? out.name : axisName(yk) + ' = ' + g.name;
          if (sw.design === 'grid') {
            series.push({ name: nameOf, type: 'line', stack: 'band' + n, data: pts.map((q) => [q[0], q[1] - q[2]]), lineStyle: { opacity: 0 }, itemStyle: { color: colour }, showSymbol: false, silent: true, tooltip: { show: false } });
            series.push({ name: nameOf, type: 'line', stack: 'band' + n, data: pts.map((q) => [q[0], 2 * q[2]]), lineStyle: { opacity: 0 }, itemStyle: { color: colour }, areaStyle: { color: colour, opacity: 0.18 }, showSymbol: false, silent: true, tooltip: { show: false } });
            series.push({ name: nameOf, type: 'line', data: pts.map((q) => [q[0], q[1], q[2]]), lineStyle: { color: colour, width: 2.5 }, itemStyle: { color: colour }, symbolSize: 6 });
          } else {
            series.push({ name: nameOf, type: 'scatter', data: pts, itemStyle: { color: colour, opacity: 0.8 }, symbolSize: 6 });
          }
        });
        outCharts.push(chartCard(pair, dn(st) + ': ' + out.name + ' along ' + (params[ax.x].label || params[ax.x].path), (sw.design === 'grid'
          ? 'Each line is one level of ' + (yk === null ? 'the design' : params[yk].label || params[yk].path) + '; the band around it is the 95 % confidence interval of the mean over the replications.'
          : 'Each dot is one design point, coloured by its ' + (yk === null ? '' : (params[yk].label || params[yk].path) + ' range') + '.'), {
          tooltip: { trigger: sw.design === 'grid' ? 'axis' : 'item', formatter: sw.design === 'grid' ? (ps) => axisName(ax.x) + ' = ' + short(ps[0].value[0]) + '<br>' +
            ps.filter((q) => q.value.length === 3).map((q) => q.marker + q.seriesName + ': ' + fmt(q.value[1], 3) + ' ± ' + fmt(q.value[2], 3)).join('<br>') : undefined },
          // The legend names only the levels; the parameter is in the title of the key.
          legend: { top: yk === null ? 0 : 16, left: 0, right: 60, data: [...new Set(series.map((q) => q.name))], formatter: (n) => (yk === null ? n : n.split(' = ').pop()) },
          title: yk === null ? undefined : { text: (params[yk].label || params[yk].path) + ':', textStyle: { fontSize: 11, fontWeight: 400, color: '#555' }, top: 0, left: 0 },
          toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10, top: 0 },
          grid: { left: 60, right: 20, top: 50 + 22 * Math.ceil(groups.length / 5), bottom: 50 },
          xAxis: { type: params[ax.x].log ? 'log' : 'value', name: axisName(ax.x), nameLocation: 'middle', nameGap: 28, scale: true },
          yAxis: { type: 'value', name: out.name, nameLocation: 'middle', nameGap: 42, scale: true, min: vmin >= 0 ? 0 : undefined },
          series,
        }, { id: 'output-lines-' + st, tall: true }));
      }
    }
    drawOutputs();

    // Sobol indices with bootstrap confidence intervals.
    if (data.sensitivity && data.sensitivity.length) {
      const ssec = section('Sensitivity (Sobol indices)', 'Which parameter decides the outcome: first-order (S1) and total (ST) Sobol indices of each output, with 95 % bootstrap confidence intervals.');
      const outputs = Array.from(new Set(data.sensitivity.map((r) => r.output)));
      for (const st of data.states) {
        const rowsOf = (o) => data.sensitivity.filter((r) => r.state === st && r.output === o);
        // Start with the output the parameters explain most.
        let best = outputs[0], bestST = -1;
        for (const o of outputs) {
          const s = rowsOf(o).reduce((a, r) => a + (r.ST || 0), 0);
          if (s > bestST + 1e-12) { best = o; bestST = s; }
        }
        const select = el('select', { 'aria-label': 'output' }, ...outputs.map((o) => el('option', { value: o }, o.startsWith('p_') ? 'P(' + pretty(o.slice(2)) + ')' : pretty(o))));
        select.value = best;
        const option = (o) => {
          const rows = params.map((p) => rowsOf(o).find((r) => r.parameter === p.path) || {});
          const errorBars = (key) => ({
            type: 'custom', name: key + ' 95 % CI', silent: true, z: 10,
            data: rows.map((r, k) => [k, r[key] === null || r[key] === undefined ? 0 : r[key] - (r[key + '_conf'] || 0), (r[key] || 0) + (r[key + '_conf'] || 0)]),
            renderItem: (params2, api) => {
              const idx = api.value(0);
              const lo = api.coord([idx, api.value(1)]), hi = api.coord([idx, api.value(2)]);
              const band = api.size([1, 0])[0];
              const off = (key === 'S1' ? -1 : 1) * band * 0.18;  // over the S1 or ST bar of the group
              const half = band * 0.06, x = lo[0] + off;
              const style = { stroke: '#222', lineWidth: 1.4 };
              return { type: 'group', children: [
                { type: 'line', shape: { x1: x, y1: lo[1], x2: x, y2: hi[1] }, style },
                { type: 'line', shape: { x1: x - half, y1: lo[1], x2: x + half, y2: lo[1] }, style },
                { type: 'line', shape: { x1: x - half, y1: hi[1], x2: x + half, y2: hi[1] }, style },
              ] };
            },
          });
          return {
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => {
              const r = rows[ps[0].dataIndex];
              return params[ps[0].dataIndex].path + '<br>S1 = ' + fmt(r.S1) + ' ± ' + fmt(r.S1_conf) + '<br>ST = ' + fmt(r.ST) + ' ± ' + fmt(r.ST_conf);
            } },
            legend: { top: 0, data: ['S1 (first order)', 'ST (total)'] }, toolbox: { feature: { saveAsImage: toolbox.feature.saveAsImage }, right: 10 },
            grid: { left: 60, right: 20, top: 50, bottom: 70 },
            xAxis: { type: 'category', data: params.map((p) => p.path), axisLabel: { interval: 0, width: 220, overflow: 'break' } },
            yAxis: { type: 'value', name: 'Sobol index', min: (v) => Math.min(0, Math.floor(v.min * 10) / 10), max: (v) => Math.max(1, Math.ceil(v.max * 10) / 10) },
            series: [
              { name: 'S1 (first order)', type: 'bar', barGap: '10%', barCategoryGap: '40%', itemStyle: { color: '#6baed6' }, data: rows.map((r) => r.S1) },
              { name: 'ST (total)', type: 'bar', itemStyle: { color: '#08519c' }, data: rows.map((r) => r.ST) },
              errorBars('S1'), errorBars('ST'),
            ],
          };
        };
        const chart = chartCard(ssec, st + ': Sobol indices', 'S1 is the share of the output\'s variance due to the parameter alone, ST includes its interactions; whiskers are ±95 % bootstrap half-widths. ST near 0: the parameter does not matter; ST much larger than S1: it acts through interactions. Small designs give wide intervals.',
          option(best), { id: 'sobol-' + st, controls: el('p', null, 'output', select) });
        select.addEventListener('change', () => chart.setOption(option(select.value), { replaceMerge: ['series'] }));
      }
    } else if (sw.design === 'sobol') {
      section('Sensitivity (Sobol indices)', 'No sensitivity.csv yet: it is written when the sweep completes.');
    }
  }

  if (data.kind === 'run') renderRun(); else renderSweep();
  // For tests and for the curious: the charts of this page.
  window.alignsimReport = { charts, data };
}());
