// alignsim live view (docs/classroom.md). Two loops, decoupled: a poller fetches the
// simulation's new ticks from the server (which steps it at the chosen speed), and a
// requestAnimationFrame loop redraws at the screen's rate, touching the charts only when new
// data has arrived (and at most a few times a second).
'use strict';

const $ = (id) => document.getElementById(id);

// ---- words and colours (one place, so the legend and the views agree) ----------------------

const LABELS = {
  bandwagoning: ['#8c2d04', 'Bandwagoning: defers to the focal power, does not balance it, and gets little of its economic benefit from the focal power\'s rivals.'],
  soft_bandwagoning: ['#e6550d', 'Soft bandwagoning: defers to the focal power without defiance or security ties against it, while drawing much of its economic benefit from the focal power\'s rivals.'],
  hedging: ['#b58900', 'Hedging: defers to the focal power and, at the same time, balances it (defiance, security ties with its rivals, or arming).'],
  external_balancing: ['#08519c', 'External balancing: counters the focal power through security ties with its rivals, with little deference.'],
  internal_balancing: ['#54278f', 'Internal balancing: counters the focal power with its own defence spending, above its usual floor.'],
  soft_balancing: ['#3182bd', 'Soft balancing: defies the focal power diplomatically (e.g. pressing its claims) without military means.'],
  neutrality: ['#737373', 'Neutrality: neither defers to nor balances the focal power.'],
};
const MOTIVES = {
  profit: 'Profit: its deference is mostly bought by economic gains (rewards, relief from economic pressure) — Schweller\'s bandwagoning for profit.',
  security: 'Security: its deference is mostly about safety (calmer hostility, less pressure, concessions on disputes) — Walt\'s bandwagoning for security.',
};
const POWER_COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#17becf', '#8c564b'];
const QUANTITIES = {
  deference: ['Deference', 'How far the small state goes along with the power\'s wishes (0 = not at all, 1 = fully).'],
  defiance: ['Defiance', 'Open opposition to the power, e.g. pressing a disputed claim (0–1).'],
  engagement: ['Economic engagement', 'Economic ties with the power: trade, investment, aid taken (0–1).'],
  security: ['Security ties', 'Security cooperation with the power: exercises, access, alliance (0–1).'],
  inducement: ['Inducement', 'Rewards the power offers the small state: aid, loans, trade deals.'],
  pressure: ['Pressure', 'Coercion the power applies to the small state (0–1).'],
};
const EDGE_KINDS = [
  { key: 'deference', colour: '#2e7d32', curve: 0.08, tip: 'Deference: the small state goes along with this power' },
  { key: 'defiance', colour: '#d62728', curve: 0.2, tip: 'Defiance: the small state openly opposes this power' },
  { key: 'security', colour: '#1f5fbf', curve: -0.12, tip: 'Security ties: military cooperation with this power' },
  { key: 'engagement', colour: '#9aa0a6', curve: 0, tip: 'Economic engagement: trade, investment and aid, with any state' },
];
const TERMS = {
  economy: 'Economic gains: trade and the rewards (inducement) the partners give.',
  threat: 'Expected harm from the partners\' military power and pressure (negative).',
  disputes: 'Value at risk in disputed claims (negative).',
  costs: 'Costs of changing policies and of defence spending (negative).',
  dependence: 'Penalty for relying on one partner for most benefits (dependence aversion, negative).',
  total: 'The sum: what the state maximises, per tick, as a share of its GDP.',
};
const KEEP_TICKS = 1000;

const pretty = (label) => label.replace(/_/g, ' ');
const fmt = (v, d = 2) => (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d);

// ---- state --------------------------------------------------------------------------------

const app = {
  session: null,     // session id
  info: null,        // describe(): states, roles, focal, controls, scheduled events
  run: -1,           // the run the kept frames belong to
  frames: [],        // one per tick: {tick, deference: N×N, ...}
  status: null,      // the last poll: tick, playing, outcomes, events, sliders
  dirty: { charts: true, network: true, table: true, explain: true },
  focus: null,       // index of the charted and explained state
  edgeOn: { deference: true, defiance: true, security: true, engagement: false },
  explainOpen: false,
  pollTimer: null,
  inflight: null,    // the poll under way
  lastLabels: {},
  seq: 0,            // the newest state answer absorbed
  sent: {},          // slider path → the last value sent to the server in this run
};
window.alignsimLive = app;  // for the browser test and curious students

// ---- server ---------------------------------------------------------------------------------

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const res = await fetch(path, options);
  const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) {
    const err = new Error(data.error || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

let toastTimer = null;
function toast(message) {
  const box = $('toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 3500);
}

async function openSession(scenarioId) {
  const stored = JSON.parse(sessionStorage.getItem('alignsim-session') || 'null');
  let info = null;
  if (stored && (!scenarioId || stored.scenario === scenarioId)) {
    info = await api('GET', `/api/sessions/${stored.session}`).catch(() => null);
    if (info) info.session = stored.session;
  }
  if (!info) {
    if (stored) api('DELETE', `/api/sessions/${stored.session}`).catch(() => {});
    info = await api('POST', '/api/sessions', scenarioId ? { scenario: scenarioId } : {});
  }
  sessionStorage.setItem('alignsim-session', JSON.stringify({ session: info.session, scenario: info.scenario }));
  app.session = info.session;
  app.info = info;
  app.run = -1;
  app.seq = 0;
  app.frames = [];
  app.status = null;
  app.lastLabels = {};
  setupScenario(info);
  await pollNow();
}

function absorb(status, session) {
  // Drop answers for a session this tab has left, and older answers overtaken by newer ones.
  if (session !== app.session || status.seq <= app.seq) return;
  app.seq = status.seq;
  if (status.run !== app.run) {
    app.run = status.run;
    app.frames = [];
    app.sent = { ...status.sliders };
  }
  const last = app.frames.length ? app.frames[app.frames.length - 1].tick : -1;
  for (const f of status.frames || []) if (f.tick > last) app.frames.push(f);
  if (app.frames.length > KEEP_TICKS) app.frames.splice(0, app.frames.length - KEEP_TICKS);
  const previousTick = app.status ? app.status.tick : -1;
  app.status = status;
  if (status.tick !== previousTick || (status.frames && status.frames.length)) {
    app.dirty.charts = app.dirty.network = app.dirty.explain = true;
  }
  app.dirty.table = true;
  updateControls();
}

function pollNow() {
  app.inflight = pollOnce();
  return app.inflight;
}

async function pollOnce() {
  clearTimeout(app.pollTimer);
  if (!app.session) return;  // switching scenario
  try {
    const since = app.frames.length ? app.frames[app.frames.length - 1].tick : -1;
    const session = app.session;
    absorb(await api('GET', `/api/sessions/${session}/state?run=${app.run}&since=${since}`), session);
    showError('');
  } catch (e) {
    if (!app.session) return;
    if (e.status === 404) {  // the session expired (idle too long): start a fresh one
      sessionStorage.removeItem('alignsim-session');
      showError('The simulation had expired; a new one was started.');
      return openSession(app.info && app.info.scenario);
    }
    showError(`Cannot reach the alignsim server: ${e.message}`);
  }
  const playing = app.status && app.status.playing;
  app.pollTimer = setTimeout(pollNow, playing ? 100 : 500);
}

async function control(body) {
  try {
    const session = app.session;
    absorb(await api('POST', `/api/sessions/${session}/control`, body), session);
    showError('');
  } catch (e) {
    showError(e.message);
  }
  pollNow();
}

// ---- set-up for a scenario --------------------------------------------------------------------

function powers() {
  const info = app.info;
  const list = info.states.map((s, i) => ({ ...s, i })).filter((s) => s.role === 'great_power');
  list.sort((a, b) => (b.name === info.focal) - (a.name === info.focal));  // focal power first
  return list;
}

// Whom the charts follow: the great powers (focal first), then the focal power's rivals that
// are not great powers (their ties count for the labels too).
function partners() {
  const rivals = new Set(app.info.rivals || []);
  return powers().concat(smallStates().filter((s) => rivals.has(s.name)));
}

function smallStates() {
  return app.info.states.map((s, i) => ({ ...s, i })).filter((s) => s.role === 'small_state');
}

function powerColour(i) {
  const k = partners().findIndex((p) => p.i === i);
  return POWER_COLOURS[k % POWER_COLOURS.length];
}

function setupScenario(info) {
  document.title = `alignsim live — ${info.name}`;
  $('scenario').value = info.scenario;
  $('description').textContent = info.description;
  for (const el of document.querySelectorAll('.focal-name')) el.textContent = info.focal;
  $('tick').textContent = 'tick 0';
  $('ticks').textContent = ` / ${info.ticks}`;
  const smalls = smallStates();
  const keep = app.focus !== null && smalls.find((s) => s.i === app.focus && info.states[s.i]);
  const cambodia = smalls.find((s) => s.name === 'cambodia');
  app.focus = keep ? app.focus : (cambodia || smalls[0] || { i: 0 }).i;
  $('focus').innerHTML = smalls.map((s) => `<option value="${s.i}">${s.name}</option>`).join('');
  $('focus').value = String(app.focus);
  buildSliders(info);
  buildPowerLegend();
  buildNetwork();
  buildCharts();
  $('states').querySelector('tbody').innerHTML = '';
  app.dirty = { charts: true, network: true, table: true, explain: true };
}

// A round step giving at least 100 positions on which the scenario's own value lies exactly
// (a range input snaps its value to the step grid).
function sliderStep(c) {
  const onGrid = (v, step) => Math.abs((v - c.min) / step - Math.round((v - c.min) / step)) < 1e-9;
  for (const step of [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001]) {
    if ((c.max - c.min) / step >= 100 && onGrid(c.default, step) && onGrid(c.max, step)) return step;
  }
  return 'any';
}

function buildSliders(info) {
  const box = $('sliders');
  box.innerHTML = '';
  if (!info.controls.length) {
    box.innerHTML = '<p class="motive">This scenario declares no sliders (no <code>controls:</code> section).</p>';
    return;
  }
  info.controls.forEach((c, k) => {
    const step = sliderStep(c);
    const div = document.createElement('div');
    div.className = 'slider';
    div.innerHTML = `<label for="slider-${k}" title="${c.path}">${c.label}</label>
      <div class="row"><input type="range" id="slider-${k}" min="${c.min}" max="${c.max}" step="${step}"
        value="${c.default}" aria-label="${c.label.replace(/"/g, '&quot;')}" data-path="${c.path}">
        <output id="slider-${k}-out">${fmt(c.default)}</output></div>
      <div class="range"><span>${c.min}</span><span>scenario: ${fmt(c.default)}</span><span>${c.max}</span></div>`;
    const input = div.querySelector('input');
    const out = div.querySelector('output');
    input.addEventListener('input', () => { out.textContent = fmt(Number(input.value)); });
    input.addEventListener('change', () => moveSlider(c, Number(input.value)));
    box.appendChild(div);
  });
}

async function moveSlider(c, value) {
  // Chromium may fire a second change on blur for the same value: only a new value is a move.
  const current = c.path in app.sent ? app.sent[c.path]
    : (app.status && c.path in app.status.sliders ? app.status.sliders[c.path] : c.default);
  if (value === current) return;
  app.sent[c.path] = value;
  const mode = document.querySelector('input[name=mode]:checked').value;
  try {
    const session = app.session;
    const status = await api('POST', `/api/sessions/${session}/slider`, { path: c.path, value, mode });
    absorb(status, session);
    showError('');
    toast(mode === 'restart' ? `Restarted from tick 0 with ${c.label} = ${fmt(value)}`
      : `${c.label} = ${fmt(value)} from tick ${status.tick + 1}`);
  } catch (e) {
    showError(e.message);
  }
  pollNow();
}

function updateControls() {
  const s = app.status;
  if (!s) return;
  $('play').textContent = s.playing ? '❚❚ Pause' : '▶ Play';
  $('tick').textContent = `tick ${s.tick}`;
  $('ticks').textContent = ` / ${s.ticks}`;
  $('clock').title = s.tick > s.ticks ? 'Past the scenario\'s last tick: the simulation keeps going with the last values'
    : 'Ticks stepped so far / the scenario\'s length';
  if (document.activeElement !== $('speed')) {
    $('speed').value = String(Math.min(60, Math.round(s.speed)));
    $('speed-out').textContent = String(Math.round(s.speed));
  }
  $('stop-at-end').checked = s.stop_at_end;
  // Sliders follow the session (a reset puts them back; another tab's moves are not shared).
  app.info.controls.forEach((c, k) => {
    const input = $(`slider-${k}`);
    if (!input || document.activeElement === input) return;
    const v = c.path in s.sliders ? s.sliders[c.path] : c.default;
    if (Number(input.value) !== v) {
      input.value = String(v);
      $(`slider-${k}-out`).textContent = fmt(v);
    }
  });
}

// ---- the states table and the timeline --------------------------------------------------------

function badge(label) {
  const [colour, tip] = LABELS[label] || ['#444', label];
  return `<span class="badge" style="background:${colour}" title="${tip}">${pretty(label)}</span>`;
}

// Strategies are read off behaviour over the last ticks: at tick 0 there is none yet.
const NOT_YET = '<td class="label pending" colspan="2" title="Strategies are read off each state\'s behaviour over the last ticks; press Play or Step">— press Play</td>';

function renderTable() {
  const s = app.status;
  const body = $('states').querySelector('tbody');
  const rows = s.outcomes.map((o) => {
    const i = app.info.states.findIndex((st) => st.name === o.state);
    const changed = app.lastLabels[o.state] && app.lastLabels[o.state] !== o.label;
    app.lastLabels[o.state] = o.label;
    return `<tr data-state="${o.state}" data-index="${i}" class="${i === app.focus ? 'selected' : ''}" title="${o.reason.replace(/"/g, '&quot;')}">
      <td class="name">${o.state}</td>${s.tick === 0 ? NOT_YET : `<td class="label">${badge(o.label).replace('class="badge"', `class="badge${changed ? ' changed' : ''}"`)}</td>
      <td class="motive" title="${MOTIVES[o.motive] || o.motive}">${o.motive}</td>`}</tr>`;
  });
  body.innerHTML = rows.join('');
  renderEvents();
}

function renderEvents() {
  const s = app.status;
  const done = new Set(s.applied_events.map((e) => `${e.tick}|${e.name}`));
  const items = app.info.scheduled_events.map((e) => ({ ...e, done: done.has(`${e.tick}|${e.name}`), slider: false }));
  for (const e of s.slider_events) items.push({ ...e, done: s.applied_events.some((a) => a.name === e.name && a.tick >= e.tick), slider: true });
  items.sort((a, b) => a.tick - b.tick);
  $('events').innerHTML = items.length ? items.map((e) =>
    `<li class="${e.done ? 'done' : ''} ${e.slider ? 'slider-event' : ''}" title="${e.path || ''}"><span class="t">${e.tick}</span>${pretty(e.name)}</li>`).join('')
    : '<li>no scheduled events</li>';
}

// ---- charts -----------------------------------------------------------------------------------

let chart = null;
let network = null;

function buildPowerLegend() {
  const rivals = new Set(app.info.rivals || []);
  const note = (p) => (p.name === app.info.focal ? ' (focal)' : (p.role !== 'great_power' && rivals.has(p.name) ? ' (rival)' : ''));
  const keys = partners().map((p, k) => `<span class="key" title="${p.name}${p.name === app.info.focal ? ' (the focal power)' : note(p) ? ': a rival of the focal power, not a great power' : ''}">
    <span class="swatch" style="background:${POWER_COLOURS[k % POWER_COLOURS.length]}"></span>${p.name}${note(p)}</span>`);
  keys.push('<span class="key" title="Solid: inducement (rewards); dashed: pressure (coercion), in the bottom chart"><span class="swatch dashed" style="border-color:#555"></span>pressure</span>');
  $('power-legend').innerHTML = keys.join('');
}

const PANELS = [
  { q: 'deference', grid: { left: 46, right: '52%', top: 28, height: '22%' } },
  { q: 'defiance', grid: { left: '56%', right: 12, top: 28, height: '22%' } },
  { q: 'engagement', grid: { left: 46, right: '52%', top: '37%', height: '22%' } },
  { q: 'security', grid: { left: '56%', right: 12, top: '37%', height: '22%' } },
  { q: 'powers', grid: { left: 46, right: 12, top: '71%', bottom: 28 } },
];

function buildCharts() {
  if (!chart) {
    chart = echarts.init($('chart'), null, { renderer: 'canvas' });
    window.addEventListener('resize', () => { chart.resize(); network.resize(); });
  }
  chart.setOption({
    animation: false,
    title: PANELS.map((p, k) => ({ text: p.q === 'powers' ? 'Inducement (solid) and pressure (dashed) from the powers' : QUANTITIES[p.q][0], left: PANELS[k].grid.left,
      top: k < 2 ? 4 : (k < 4 ? '31%' : '65%'), textStyle: { fontSize: 16, fontWeight: 600 } })),
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? '' : Number(v).toFixed(2)), textStyle: { fontSize: 14 } },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: PANELS.map((p) => ({ ...p.grid, containLabel: false })),
    xAxis: PANELS.map((p, k) => ({ type: 'value', gridIndex: k, min: 0, max: app.info.ticks, axisLabel: { fontSize: 13 },
      name: k === 4 ? 'tick' : '', nameGap: 4, nameTextStyle: { fontSize: 13 }, splitLine: { show: false } })),
    yAxis: PANELS.map((p, k) => (p.q === 'powers'
      ? { type: 'value', gridIndex: k, min: 0, axisLabel: { fontSize: 13 }, splitNumber: 3 }
      : { type: 'value', gridIndex: k, min: 0, max: 1, interval: 0.5, axisLabel: { fontSize: 13 } })),
    series: [],
  }, true);
}

function seriesFor(frames) {
  const i = app.focus;
  const all = partners();
  const series = [];
  const marks = eventMarks();
  PANELS.forEach((panel, k) => {
    all.forEach((p, n) => {
      if (p.i === i) return;
      if (panel.q === 'powers' && p.role !== 'great_power') return;  // only powers induce and press
      const colour = POWER_COLOURS[n % POWER_COLOURS.length];
      const line = (q, dashed) => ({
        name: `${panel.q === 'powers' ? QUANTITIES[q][0] + ' from' : QUANTITIES[q][0] + ' towards'} ${p.name}`,
        type: 'line', xAxisIndex: k, yAxisIndex: k, showSymbol: false, animation: false,
        lineStyle: { width: 3, color: colour, type: dashed ? 'dashed' : 'solid' }, itemStyle: { color: colour },
        data: frames.map((f) => [f.tick, panel.q === 'powers' ? f[q][p.i][i] : f[q][i][p.i]]),
      });
      if (panel.q === 'powers') {
        series.push(line('inducement', false));
        series.push(line('pressure', true));
      } else {
        series.push(line(panel.q, false));
      }
    });
    if (series.length) {
      const last = series[series.length - 1];
      if (last.xAxisIndex === k) last.markLine = marks;
    }
  });
  return series;
}

function eventMarks() {
  const s = app.status;
  const ticks = new Map();
  for (const e of app.info.scheduled_events) ticks.set(e.tick, pretty(e.name));
  for (const e of s.slider_events) ticks.set(e.tick, 'slider');
  return {
    symbol: 'none', silent: true, animation: false,
    lineStyle: { color: '#8250df', type: 'dotted', width: 1.5 },
    label: { show: false },
    data: [...ticks.keys()].map((t) => ({ xAxis: t })),
  };
}

function renderCharts() {
  const s = app.status;
  const end = Math.max(app.info.ticks, s.tick);
  const first = app.frames.length ? app.frames[0].tick : 0;
  chart.setOption({
    xAxis: PANELS.map(() => ({ min: first, max: end })),
    series: seriesFor(app.frames),
  }, { replaceMerge: ['series'], lazyUpdate: false });
}

// ---- network ----------------------------------------------------------------------------------

function buildEdgeLegend() {
  $('edge-legend').innerHTML = EDGE_KINDS.map((k) =>
    `<label class="key" title="${k.tip}. Thicker = stronger. Untick to hide."><input type="checkbox" data-kind="${k.key}" ${app.edgeOn[k.key] ? 'checked' : ''}>
      <span class="swatch" style="background:${k.colour}"></span>${QUANTITIES[k.key][0].replace('Economic engagement', 'engagement')}</label>`).join('');
  for (const box of $('edge-legend').querySelectorAll('input')) {
    box.addEventListener('change', () => { app.edgeOn[box.dataset.kind] = box.checked; app.dirty.network = true; });
  }
  $('label-legend').innerHTML = Object.entries(LABELS).map(([label, [colour, tip]]) =>
    `<span class="key" title="${tip}"><span class="dot" style="background:${colour}"></span>${pretty(label)}</span>`).join('')
    + '<span class="key" title="Great powers are drawn as squares, in their chart colour"><span class="dot" style="background:#555;border-radius:2px"></span>great power</span>';
}

// Node positions are kept in percent of the view and drawn in pixels: the graph's view maps its
// data box onto the box left by the margins below, scaling x and y separately, so only a data
// box with the view's own aspect keeps circles round. Two invisible anchors fix that box.
const NET_MARGIN = { left: 44, right: 44, top: 24, bottom: 36 };
function netView() {
  const el = $('network');
  return {
    w: Math.max(1, el.clientWidth - NET_MARGIN.left - NET_MARGIN.right),
    h: Math.max(1, el.clientHeight - NET_MARGIN.top - NET_MARGIN.bottom),
  };
}
function netXY(i) {
  const v = netView();
  return { x: (app.positions[i][0] / 100) * v.w, y: (app.positions[i][1] / 100) * v.h };
}
function anchors() {
  const v = netView();
  return [[0, 0], [v.w, v.h]].map(([x, y], k) => ({
    name: `\u200b${k}`, x, y, symbolSize: 0, label: { show: false }, tooltip: { show: false }, silent: true,
  }));
}

function buildNetwork() {
  if (!network) {
    network = echarts.init($('network'), null, { renderer: 'canvas' });
    // The box's height comes from CSS after layout; a canvas sized before that is stretched.
    new ResizeObserver(() => { network.resize(); app.dirty.network = true; }).observe($('network'));
  }
  buildEdgeLegend();
  const states = app.info.states;
  // Fixed positions: great powers across the top, small states on an arc below, so nothing
  // moves while the class watches.
  const ps = powers();
  const smalls = smallStates();
  app.positions = {};
  ps.forEach((p, k) => { app.positions[p.i] = [((k + 1) / (ps.length + 1)) * 100, 8]; });
  smalls.forEach((s, k) => {
    const a = Math.PI * (0.1 + 0.8 * (smalls.length === 1 ? 0.5 : k / (smalls.length - 1)));
    app.positions[s.i] = [50 - 44 * Math.cos(a), 28 + 56 * Math.sin(a)];
  });
  network.setOption({
    animation: false,
    tooltip: { textStyle: { fontSize: 14 } },
    series: [{
      type: 'graph', layout: 'none', roam: false, ...NET_MARGIN,
      label: { show: true, position: 'bottom', fontSize: 15, fontWeight: 600, color: '#1b1f24' },
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9,
      nodeScaleRatio: 0,
      data: states.map((s, i) => ({ name: s.name, ...netXY(i) })).concat(anchors()),
      links: [],
    }],
  }, true);
}

function renderNetwork() {
  const f = app.frames[app.frames.length - 1];
  if (!f) return;
  const states = app.info.states;
  const labelOf = {};
  if (app.status.tick > 0) for (const o of app.status.outcomes) labelOf[o.state] = o.label;
  const smallIndex = new Map(smallStates().map((s, k) => [s.i, k]));
  const nodes = states.map((s, i) => {
    const great = s.role === 'great_power';
    // Neighbours on the arc are close at its bottom: every other label a line lower.
    const drop = !great && smallIndex.get(i) % 2 === 1 ? 15 : 0;
    const colour = great ? powerColour(i) : (LABELS[labelOf[s.name]] || ['#444'])[0];
    return {
      name: s.name, ...netXY(i),
      symbol: great ? 'roundRect' : 'circle', symbolSize: great ? [44, 32] : (i === app.focus ? 34 : 26),
      label: { position: great ? 'top' : 'bottom', offset: [0, drop] },  // power labels above: the edges arrive below
      itemStyle: { color: colour, borderColor: i === app.focus ? '#ffbf00' : '#fff', borderWidth: i === app.focus ? 4 : 1 },
      tooltip: { formatter: great ? `${s.name}: great power` : `${s.name}: ${pretty(labelOf[s.name] || '')}` },
    };
  }).concat(anchors());
  const links = [];
  const smalls = smallStates();
  const rivals = new Set(app.info.rivals || []);  // ties to these count for the labels
  for (const kind of EDGE_KINDS) {
    if (!app.edgeOn[kind.key]) continue;
    const m = f[kind.key];
    for (const s of smalls) {
      for (let j = 0; j < states.length; ++j) {
        if (j === s.i) continue;
        if (kind.key !== 'engagement' && states[j].role !== 'great_power' && !rivals.has(states[j].name)) continue;
        const v = m[s.i][j];
        if (v < 0.05) continue;
        links.push({
          source: s.name, target: states[j].name, value: v,
          lineStyle: { color: kind.colour, width: 1 + 7 * v, curveness: kind.curve, opacity: kind.key === 'engagement' ? 0.35 : 0.85 },
          tooltip: { formatter: `${s.name} → ${states[j].name}: ${QUANTITIES[kind.key][0].toLowerCase()} ${v.toFixed(2)}` },
        });
      }
    }
  }
  network.setOption({ series: [{ data: nodes, links }] });
}

// ---- explain ----------------------------------------------------------------------------------

let explainBusy = false;
async function refreshExplain() {
  if (explainBusy) return;
  explainBusy = true;
  const name = app.info.states[app.focus].name;
  try {
    renderExplain(await api('GET', `/api/sessions/${app.session}/explain?state=${encodeURIComponent(name)}`));
  } catch (e) {
    showError(e.message);
  } finally {
    explainBusy = false;
  }
}

function renderExplain(e) {
  $('explain-title').textContent = `Why ${e.state} does what it does (tick ${e.tick})`;
  $('explain-outcome').innerHTML = e.outcome
    ? `${badge(e.outcome.label)} <span class="motive" title="${MOTIVES[e.outcome.motive] || ''}">motive: ${e.outcome.motive}</span><br>${e.outcome.reason}`
    : '';
  const scale = Math.max(1e-9, ...e.terms.map((t) => Math.abs(t.value)));
  $('explain-terms').innerHTML = e.terms.map((t) => {
    const w = (Math.abs(t.value) / scale) * 50;
    const style = t.value >= 0 ? `left:50%;width:${w}%` : `left:${50 - w}%;width:${w}%`;
    return `<div class="term ${t.term === 'total' ? 'total' : ''}" data-term="${t.term}">
      <span class="name" title="${TERMS[t.term] || t.term}">${t.term}</span>
      <span class="bar-area"><span class="zero"></span><span class="bar ${t.value >= 0 ? 'pos' : 'neg'}" style="${style}"></span></span>
      <span class="value">${fmt(t.value, 3)}</span></div>`;
  }).join('');
  const self = app.info.states.findIndex((s) => s.name === e.state);
  const cols = e.partner_columns.map((c, j) => ({ c, j })).filter((x) => x.j !== self);
  $('explain-partners').innerHTML = `<tr><th>term</th>${cols.map((x) => `<th>${x.c}</th>`).join('')}</tr>`
    + e.by_partner.map((row) => `<tr><td>${pretty(row.term)}</td>${cols.map((x) => {
      const v = row.values[x.j];
      return `<td class="${v < 0 ? 'neg' : ''}">${fmt(v, 3)}</td>`;
    }).join('')}</tr>`).join('');
  $('explain-reasons').innerHTML = e.reasons.map((r) => `<li>${r}</li>`).join('');
}

function selectTab(explain) {
  app.explainOpen = explain;
  $('tab-network').setAttribute('aria-selected', String(!explain));
  $('tab-explain').setAttribute('aria-selected', String(explain));
  $('panel-network').hidden = explain;
  $('panel-explain').hidden = !explain;
  if (explain) refreshExplain();
  else { network.resize(); app.dirty.network = true; }
}

// ---- the render loop ---------------------------------------------------------------------------

const fps = { frames: 0, times: [], last: 0 };
app.fps = fps;
const refreshed = { charts: 0, network: 0, explain: 0 };

function frame(now) {
  fps.frames += 1;
  fps.times.push(now);
  while (fps.times.length && now - fps.times[0] > 1000) fps.times.shift();
  if (now - fps.last > 500) {
    $('fps').textContent = `${fps.times.length} fps`;
    fps.last = now;
  }
  if (app.status) {
    if (app.dirty.table) { renderTable(); app.dirty.table = false; }
    // Charts at most 8 times a second, the network 4, the explanation 2: enough to look live,
    // cheap enough to keep the page at the screen's frame rate on a classroom laptop.
    if (app.dirty.charts && now - refreshed.charts > 125) { renderCharts(); app.dirty.charts = false; refreshed.charts = now; }
    if (!app.explainOpen && app.dirty.network && now - refreshed.network > 250) { renderNetwork(); app.dirty.network = false; refreshed.network = now; }
    if (app.explainOpen && app.dirty.explain && now - refreshed.explain > 500) { refreshExplain(); app.dirty.explain = false; refreshed.explain = now; }
  }
  requestAnimationFrame(frame);
}

// ---- wiring -------------------------------------------------------------------------------------

function focusOn(i) {
  app.focus = i;
  $('focus').value = String(i);
  app.dirty = { charts: true, network: true, table: true, explain: true };
  if (app.explainOpen) refreshExplain();
}

function wire() {
  $('play').addEventListener('click', () => control({ action: app.status && app.status.playing ? 'pause' : 'play' }));
  $('step').addEventListener('click', () => control({ action: 'step', steps: 1 }));
  $('reset').addEventListener('click', () => control({ action: 'reset' }));
  $('speed').addEventListener('input', () => { $('speed-out').textContent = $('speed').value; });
  $('speed').addEventListener('change', () => control({ action: 'speed', speed: Number($('speed').value) }));
  $('stop-at-end').addEventListener('change', () => control({ action: 'stop_at_end', value: $('stop-at-end').checked }));
  $('focus').addEventListener('change', () => focusOn(Number($('focus').value)));
  $('states').addEventListener('click', (ev) => {
    const row = ev.target.closest('tr[data-index]');
    if (row) focusOn(Number(row.dataset.index));
  });
  $('tab-network').addEventListener('click', () => selectTab(false));
  $('tab-explain').addEventListener('click', () => selectTab(true));
  $('scenario').addEventListener('change', async () => {
    // Stop polling the old simulation, let the last poll land, then end it and open the new one.
    sessionStorage.removeItem('alignsim-session');
    const old = app.session;
    app.session = null;
    clearTimeout(app.pollTimer);
    await app.inflight;
    if (old) api('DELETE', `/api/sessions/${old}`).catch(() => {});
    app.focus = null;
    openSession($('scenario').value).catch((e) => showError(e.message));
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.code === 'Space' && !['INPUT', 'SELECT', 'BUTTON'].includes(document.activeElement.tagName)) {
      ev.preventDefault();
      $('play').click();
    }
  });
}

async function start() {
  wire();
  try {
    const list = await api('GET', '/api/scenarios');
    $('scenario').innerHTML = list.scenarios.map((s) =>
      `<option value="${s.id}" title="${(s.description || '').replace(/"/g, '&quot;')}">${s.id.replace(/\.yaml$/, '')}</option>`).join('');
    const stored = JSON.parse(sessionStorage.getItem('alignsim-session') || 'null');
    await openSession(stored ? stored.scenario : list.default);
  } catch (e) {
    showError(`Cannot start: ${e.message}`);
  }
  requestAnimationFrame(frame);
}

start();
