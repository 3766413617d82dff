// alignsim live view (docs/classroom.md). Two loops, decoupled: a poller fetches the
// simulation's new ticks from the server (which steps it at the chosen speed), and a
// requestAnimationFrame loop redraws at the screen's rate, touching the charts only when new
// data has arrived (and at most a few times a second). No exception in a redraw can stop the
// loop: each view is drawn under its own guard, and the next frame is asked for first.
'use strict';

const $ = (id) => document.getElementById(id);

// ---- words and colours ------------------------------------------------------------------------
// The labels, their colours, the qualifiers and the kinds of agent are the model's: they come
// with the scenario (describe()'s `schema`), as in the reports. The other colours come from
// tools/web/palette.json, which the reports inline too (loaded in start()). The tips below say
// in words what the alignment model's labels mean; a label without one shows its name.

let PALETTE = null;
const LABEL_TIPS = {
  bandwagoning: 'Bandwagoning: defers to the focal power, does not balance it, and gets little of its economic benefit from the focal power\'s rivals.',
  soft_bandwagoning: 'Soft bandwagoning: defers to the focal power without defiance or security ties against it, while drawing much of its economic benefit from the focal power\'s rivals.',
  hedging: 'Hedging: defers to the focal power and, at the same time, balances it (defiance, security ties with its rivals, or arming).',
  external_balancing: 'External balancing: counters the focal power through security ties with its rivals, with little deference.',
  internal_balancing: 'Internal balancing: counters the focal power with its own defence spending, above its usual floor.',
  soft_balancing: 'Soft balancing: defies the focal power diplomatically (e.g. pressing its claims) without military means.',
  neutrality: 'Neutrality: neither defers to nor balances the focal power.',
};
const schema = () => (app.info && app.info.schema) || { labels: [], qualifiers: [], kinds: null, scalars: [], agents: {} };
const labelNames = () => schema().labels.map((l) => l.name);
function labelColour(label) {
  const l = schema().labels.find((x) => x.name === label);
  if (l && l.colour) return l.colour;
  const k = labelNames().indexOf(label);
  return PALETTE.extra_labels[Math.max(0, k) % PALETTE.extra_labels.length];
}
const qualifierNames = () => schema().qualifiers.map((q) => q.name);
// The kind of state i (the schema's kinds key, e.g. `role`), or null when the model has none.
const kindOf = (st) => (schema().kinds ? st[schema().kinds.key] : null);
const isLabelled = (st) => !schema().labelled_kind || kindOf(st) === schema().labelled_kind;
// The quantities of each kind's choices (e.g. a small state's deference), from the schema.
function chosenBy(kind) {
  const k = schema().kinds;
  return k && kind && k.chosen[kind] ? k.chosen[kind] : [];
}
const otherKind = () => (schema().kinds ? schema().kinds.values.find((k) => k !== schema().labelled_kind) : null);
const isScalar = (q) => schema().scalars.includes(q);
// The schema's outcome title, each {agent reference} its agent's name, e.g. "Strategies towards China".
function outcomeTitle() {
  const t = String(schema().outcome_title || 'labels').replace(/\{([a-z_]+)\}/g, (m, k) => dn(schema().agents[k] || k));
  return t.charAt(0).toUpperCase() + t.slice(1);
}
const partnerColour = (k) => PALETTE.partners[k % PALETTE.partners.length];
const partnerDash = (k) => PALETTE.partner_dashes[k % PALETTE.partner_dashes.length];
// Tips of the alignment model's qualifier values (why a label holds), by qualifier.
const QUALIFIER_TIPS = { motive: {
  profit: 'Profit: its deference is mostly bought by economic gains (rewards, relief from economic pressure) — Schweller\'s bandwagoning for profit.',
  security: 'Security: its deference is mostly about safety (calmer hostility, less pressure, concessions on disputes) — Walt\'s bandwagoning for security.',
} };
const qualifierTip = (q, v) => ((QUALIFIER_TIPS[q] || {})[v] || `${pretty(q)}: ${pretty(v)}`);
const QUANTITIES = {
  deference: ['Deference', 'How far the small state goes along with the power\'s wishes (0 = not at all, 1 = fully).'],
  defiance: ['Defiance', 'Open opposition to the power, e.g. pressing a disputed claim (0–1).'],
  engagement: ['Economic engagement', 'Economic ties with the power: trade, investment, aid taken (0–1).'],
  security: ['Security ties', 'Security cooperation with the power: exercises, access, alliance (0–1).'],
  inducement: ['Inducement', 'Rewards the power offers the small state: aid, loans, trade deals.'],
  pressure: ['Pressure', 'Coercion the power applies to the small state (0–1).'],
};
const EDGE_KINDS = [
  { key: 'deference', curve: 0.08, tip: 'Deference: the small state goes along with this power' },
  { key: 'defiance', curve: 0.2, tip: 'Defiance: the small state openly opposes this power' },
  { key: 'security', curve: -0.12, tip: 'Security ties: military cooperation with this power' },
  { key: 'engagement', curve: 0, tip: 'Economic engagement: trade, investment and aid, with any state' },
];
const edgeColour = (kind) => PALETTE.quantities[kind.key];
const TERMS = {
  economy: 'Economic gains: trade and the rewards (inducement) the partners give.',
  threat: 'Expected harm from the partners\' military power and pressure (negative).',
  disputes: 'Value at risk in disputed claims (negative).',
  costs: 'Costs of changing policies and of defence spending (negative).',
  dependence: 'Penalty for relying on one partner for most benefits (dependence aversion, negative).',
  total: 'The sum: what the state maximises, per tick, as a share of its GDP.',
};
const KEEP_TICKS = 1000;

const pretty = (label) => String(label).replace(/_/g, ' ');
const fmt = (v, d = 2) => (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d);  // never "-0.00"
const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

// The name people read: the scenario's display_name, else its id.
function dn(name) {
  const st = app.info && app.info.states.find((s) => s.name === name);
  return st && st.display_name ? st.display_name : name;
}

// Calendar time of a tick when the scenario declares `time: {start: YYYY-MM, tick: ...}`.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function tickDate(t, short) {
  const time = app.info && app.info.time;
  if (!time || !Number.isFinite(t)) return '';
  const [y0, m0] = time.start.split('-').map(Number);
  const months = (m0 - 1) + t * ({ month: 1, quarter: 3, year: 12 }[time.tick] || 1);
  const y = y0 + Math.floor(months / 12), m = ((months % 12) + 12) % 12;
  if (time.tick === 'year') return String(y);
  if (time.tick === 'quarter') return `${y} Q${Math.floor(m / 3) + 1}`;
  return short && m !== 0 ? MONTHS[m] : `${MONTHS[m]} ${y}`;
}
// An x-axis label: the date (a year at Januaries) or the tick.
const axisTick = (t) => (app.info && app.info.time ? tickDate(t, false) : String(t));

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
  opening: 0,        // bumped by every scenario switch: only the newest one is installed
  view: 'policies',  // centre: 'policies' or 'features'
  large: false,      // projector mode: larger type everywhere
  renderErrors: [],  // {view, message} of redraws that threw (the loop went on)
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
  // In the flow of the sliders' column, so it never covers a chart.
  const box = $('toast');
  box.textContent = message;
  box.classList.add('shown');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.classList.remove('shown'); }, 6000);
}

// Opens (or resumes) a simulation of `scenarioId` and installs it in one synchronous step, so a
// redraw sees either the old scenario or the new one, never half of each. `token` is the switch
// that asked: a newer switch makes this one give up (and end the session it made).
async function openSession(scenarioId, token = app.opening) {
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
  if (token !== app.opening) {
    api('DELETE', `/api/sessions/${info.session}`).catch(() => {});
    return;
  }
  sessionStorage.setItem('alignsim-session', JSON.stringify({ session: info.session, scenario: info.scenario }));
  const previous = app.info ? app.info.states[app.focus] : null;
  Object.assign(app, {
    session: info.session, info, run: -1, seq: 0, frames: [], status: null, lastLabels: {}, sent: {},
  });
  app.focus = chooseFocus(info, previous && previous.name);
  setupScenario(info);
  await pollNow();
}

// Keeps the charted state across a switch when the new scenario has it; else the scenario's
// own choice (describe()'s `focus`: the labelled state its sliders act on), else the first
// labelled state. Call after app.info is the new scenario's.
function chooseFocus(info, keepName) {
  const smalls = info.states.map((s, i) => ({ ...s, i })).filter(isLabelled);
  const pick = smalls.find((s) => s.name === keepName) || smalls.find((s) => s.name === info.focus) || smalls[0];
  return pick ? pick.i : 0;
}

async function switchScenario(id) {
  const token = ++app.opening;
  // Stop polling the old simulation (its view stays on screen until the new one is ready), let
  // the last poll land, then end it and open the new one.
  sessionStorage.removeItem('alignsim-session');
  const old = app.session;
  app.session = null;
  clearTimeout(app.pollTimer);
  await Promise.resolve(app.inflight).catch(() => {});
  if (old) api('DELETE', `/api/sessions/${old}`).catch(() => {});
  if (token !== app.opening) return;
  try {
    await openSession(id, token);
  } catch (e) {
    if (token === app.opening) showError(e.message);
  }
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
  if (!app.session) return;  // switching scenario
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

// The states of the kinds that are not labelled (e.g. the great powers); none without kinds.
const isPower = (st) => schema().kinds !== null && !isLabelled(st);
function powers() {
  const info = app.info;
  const list = info.states.map((s, i) => ({ ...s, i })).filter(isPower);
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
  return app.info.states.map((s, i) => ({ ...s, i })).filter(isLabelled);
}

function powerColour(i) {
  return partnerColour(partners().findIndex((p) => p.i === i));
}

function setupScenario(info) {
  document.title = `alignsim live — ${info.name}`;
  $('scenario').value = info.scenario;
  $('outcome-title').textContent = outcomeTitle();
  const tips = { motive: 'Why it defers: profit (economic gains, Schweller) or security (safety from threat, Walt)' };
  $('states').querySelector('thead').innerHTML = `<tr><th>${schema().kinds ? 'state' : 'actor'}</th><th>${schema().kinds ? 'strategy' : 'label'}</th>`
    + qualifierNames().map((q) => `<th title="${esc(tips[q] || (schema().qualifiers.find((x) => x.name === q) || {}).doc || q)}">${esc(pretty(q))}</th>`).join('') + '</tr>';
  const policies = document.querySelector('#view button[data-view="policies"]');
  policies.textContent = schema().kinds ? 'policies' : 'quantities';
  $('tick').textContent = 'tick 0';
  $('ticks').textContent = ` / ${info.ticks}`;
  $('date').textContent = tickDate(0);
  const smalls = smallStates();
  $('focus').innerHTML = smalls.map((s) => `<option value="${s.i}">${esc(dn(s.name))}</option>`).join('');
  $('focus').value = String(app.focus);
  buildInfo(info);
  buildSliders(info);
  buildPowerLegend();
  buildNetwork();
  buildCharts();
  $('states').querySelector('tbody').innerHTML = '';
  app.dirty = { charts: true, network: true, table: true, explain: true };
}

// The Info tab (NetLogo's Info tab is the model): what the scenario is, its states and its
// timeline, in the scenario's own words.
function buildInfo(info) {
  const time = info.time ? `${tickDate(0)} – ${tickDate(info.ticks)}, one tick = one ${info.time.tick}` : `${info.ticks} ticks`;
  const states = info.states.map((s) => `${esc(dn(s.name))}${isPower(s) ? ` (${esc(pretty(kindOf(s)))})` : ''}`).join(', ');
  const events = info.scheduled_events.map((e) => `<li><b>${esc(when(e.tick))}</b> ${esc(e.label)}${e.description ? ` — ${esc(e.description)}` : ''}</li>`).join('');
  $('info').innerHTML = `<h3>${esc(info.name.replace(/_/g, ' '))}</h3><p>${esc(info.description || '')}</p>
    <p><b>Time:</b> ${esc(time)}.</p><p><b>States:</b> ${states}.${info.focal ? ` Strategies are read towards ${esc(dn(info.focal))}.` : ` ${esc(outcomeTitle())}.`}</p>
    ${events ? `<h4>Events</h4><ul>${events}</ul>` : ''}`;
}

// When an event happens, for people: its date, or its tick.
const when = (t) => (app.info && app.info.time ? tickDate(t) : `tick ${t}`);

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
    box.innerHTML = '<p class="note">This scenario declares no sliders (no <code>controls:</code> section).</p>';
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
  if (value === current || !app.session) return;
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
  $('date').textContent = tickDate(s.tick);
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
  return `<span class="badge" data-label="${esc(label)}" style="background:${labelColour(label)}" title="${esc(LABEL_TIPS[label] || pretty(label))}">${pretty(label)}</span>`;
}

// Strategies are read off behaviour over the last ticks: at tick 0 there is none yet.
const NOT_YET = () => `<td class="label pending" colspan="${1 + qualifierNames().length}" title="Labels are read off each state's behaviour; press Play or Step">— press Play</td>`;

function renderTable() {
  const s = app.status;
  const body = $('states').querySelector('tbody');
  const rows = s.outcomes.map((o) => {
    const i = app.info.states.findIndex((st) => st.name === o.state);
    const changed = app.lastLabels[o.state] && app.lastLabels[o.state] !== o.label;
    app.lastLabels[o.state] = o.label;
    return `<tr data-state="${o.state}" data-index="${i}" class="${i === app.focus ? 'selected' : ''}" title="${esc(o.reason)}">
      <td class="name">${esc(dn(o.state))}</td>${s.tick === 0 ? NOT_YET() : `<td class="label">${badge(o.label).replace('class="badge"', `class="badge${changed ? ' changed' : ''}"`)}</td>`
      + qualifierNames().map((q) => `<td class="qualifier" data-qualifier="${esc(q)}" title="${esc(qualifierTip(q, o[q]))}">${esc(o[q])}</td>`).join('')}</tr>`;
  });
  body.innerHTML = rows.join('');
  renderEvents();
}

function renderEvents() {
  const s = app.status;
  const done = new Set(s.applied_events.map((e) => `${e.tick}|${e.name}`));
  const items = app.info.scheduled_events.map((e) => ({ ...e, done: done.has(`${e.tick}|${e.name}`), slider: false }));
  for (const e of s.slider_events) {
    items.push({ ...e, label: e.name.replace(/^slider: /, ''), done: s.applied_events.some((a) => a.name === e.name && a.tick >= e.tick), slider: true });
  }
  items.sort((a, b) => a.tick - b.tick);
  $('events').innerHTML = items.length ? items.map((e) =>
    `<li class="${e.done ? 'done' : ''} ${e.slider ? 'slider-event' : ''}" title="${esc(e.description || e.label)}"><span class="t">${esc(when(e.tick))}</span>${esc(e.label)}</li>`).join('')
    : '<li>no scheduled events</li>';
}

// ---- charts -----------------------------------------------------------------------------------

let chart = null;
let network = null;
app.echarts = () => ({ chart, network });  // for the browser test

// Font sizes follow the projector mode.
const fs = (px) => Math.round(px * (app.large ? 1.3 : 1));

function dashCss(dash) {
  if (dash === 'solid') return 'solid';
  return dash === 'dotted' ? 'dotted' : 'dashed';
}

function buildPowerLegend() {
  const rivals = new Set(app.info.rivals || []);
  const note = (p) => (p.name === app.info.focal ? ' (focal)' : (!isPower(p) && rivals.has(p.name) ? ' (rival)' : ''));
  if (!schema().kinds && app.view !== 'features') {
    $('power-legend').innerHTML = `<span class="key">${esc(dn(app.info.states[app.focus].name))}'s own quantities, then the model's as a whole</span>`;
    return;
  }
  if (app.view === 'features') {
    $('power-legend').innerHTML = `<span class="key" title="The features the classifier reads the strategy label from, averaged over its window, as the model names them">features of ${esc(dn(app.info.states[app.focus].name))}'s label (towards ${esc(dn(app.info.focal))} unless named otherwise)</span>`;
    return;
  }
  const keys = partners().map((p, k) => `<span class="key" data-partner="${p.name}" title="${esc(dn(p.name))}${p.name === app.info.focal ? ' (the focal power)' : note(p) ? ': a rival of the focal power, not a great power' : ''}">
    <span class="swatch line" style="border-top: 4px ${dashCss(partnerDash(k))} ${partnerColour(k)}"></span>${esc(dn(p.name))}${note(p)}</span>`);
  const [qa, qb] = chosenBy(otherKind());
  if (app.view === 'policies' && qb) keys.push(`<span class="key" title="In the bottom chart: thick lines are ${esc(qa)}, thin lines with dots ${esc(qb)}"><span class="swatch line" style="border-top: 2px solid #555"></span>· ${esc(qb)}</span>`);
  $('power-legend').innerHTML = keys.join('');
}

// The centre's charts. 'policies': the chosen state's policies towards each partner and the
// powers' towards it; 'features': the classifier's features (whatever the model reports).
// With no kinds of agent: the chosen state's own quantities, then the model's (scalars).
const title = (q) => (QUANTITIES[q] ? QUANTITIES[q][0] : pretty(q).replace(/^./, (c) => c.toUpperCase()));

function panels() {
  if (app.view === 'features') {
    const names = app.info.features || [];
    return names.map((name, k) => ({ q: 'feature', feature: k, title: pretty(name) }));
  }
  if (!schema().kinds) {
    return (app.info.quantities || []).map((q) => (isScalar(q)
      ? { q, scalar: true, title: `${title(q)} (the whole model)` }
      : { q, monadic: true, title: title(q) }));
  }
  const [qa, qb] = chosenBy(otherKind());
  return chosenBy(schema().labelled_kind).map((q) => ({ q, title: title(q) }))
    .concat(qa ? [{ q: 'powers', title: qb ? `${title(qa)} (thick) and ${qb} (thin) from the ${pretty(otherKind())}s` : `${title(qa)} from the ${pretty(otherKind())}s` }] : []);
}

// Two columns of small charts, the powers' chart across the bottom; pixel boxes from the
// chart's own size, so titles and axes never overlap at any window size.
function layoutPanels(list, width, height) {
  const wide = list.length % 2 === 1;  // the last panel spans both columns
  const rows = Math.ceil(list.length / 2);
  const top0 = 8, titleH = fs(22), axisH = fs(22), left = fs(40), gap = fs(34);
  const rowH = (height - top0) / rows;
  return list.map((p, k) => {
    const row = Math.floor(k / 2), col = k % 2;
    const span = wide && k === list.length - 1;
    const x0 = span || col === 0 ? left : width / 2 + gap / 2 + left * 0.4;
    const x1 = span || col === 1 ? width - 12 : width / 2 - gap / 2;
    const y0 = top0 + row * rowH;
    return { title: { left: x0 - left + 4, top: y0 }, grid: { left: x0, width: Math.max(10, x1 - x0), top: y0 + titleH, height: Math.max(10, rowH - titleH - axisH) } };
  });
}

function buildCharts() {
  if (!chart) {
    chart = echarts.init($('chart'), null, { renderer: 'canvas' });
    new ResizeObserver(() => { chart.resize(); buildCharts(); app.dirty.charts = true; }).observe($('chart'));
  }
  const list = panels();
  const boxes = layoutPanels(list, $('chart').clientWidth || 600, $('chart').clientHeight || 500);
  app.panelBoxes = boxes;
  // Policies are levels in [0, 1]; features and a model's own quantities: whatever scale it gives.
  const fixed01 = (p) => p.q !== 'powers' && p.q !== 'feature' && !p.scalar && !p.monadic;
  chart.setOption({
    animation: false,
    title: list.map((p, k) => ({ text: p.title, ...boxes[k].title, textStyle: { fontSize: fs(15), fontWeight: 600 } })),
    tooltip: {
      trigger: 'axis', textStyle: { fontSize: fs(14) }, valueFormatter: (v) => (v == null ? '' : Number(v).toFixed(2)),
      axisPointer: { label: { formatter: (a) => (a.axisDimension === 'x' ? `${axisTick(Math.round(a.value))} (tick ${Math.round(a.value)})` : Number(a.value).toFixed(2)) } },
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: list.map((p, k) => ({ ...boxes[k].grid, containLabel: false })),
    xAxis: list.map((p, k) => ({ type: 'value', gridIndex: k, min: 0, max: app.info.ticks, splitNumber: 4,
      axisLabel: { fontSize: fs(12), formatter: (v) => axisTick(v), hideOverlap: true }, splitLine: { show: false } })),
    yAxis: list.map((p, k) => (fixed01(p)
      ? { type: 'value', gridIndex: k, min: 0, max: 1, interval: 0.5, axisLabel: { fontSize: fs(12) } }
      : { type: 'value', gridIndex: k, scale: p.q === 'feature' || p.scalar || p.monadic, min: p.q === 'feature' || p.scalar || p.monadic ? undefined : 0, axisLabel: { fontSize: fs(12) }, splitNumber: 3 })),
    series: [],
  }, true);
}

function seriesFor(frames) {
  const i = app.focus;
  const all = partners();
  const series = [];
  const list = panels();
  const me = app.info.states[i].name;
  list.forEach((panel, k) => {
    // Event lines in every panel, their labels in the first row and the powers' chart (enough
    // to read them without covering the lines).
    const marks = eventMarks(panel.q === 'powers' || ((panel.q === 'feature' || panel.scalar || panel.monadic) && k === list.length - 1),
      app.panelBoxes && app.panelBoxes[k] ? app.panelBoxes[k].grid.height - 6 : 100);
    if (panel.scalar || panel.monadic) {
      const colour = PALETTE.series[k % PALETTE.series.length];
      series.push({
        name: panel.title, type: 'line', xAxisIndex: k, yAxisIndex: k, showSymbol: false, animation: false, step: panel.monadic ? 'end' : undefined,
        lineStyle: { width: 3, color: colour }, itemStyle: { color: colour },
        data: frames.filter((f) => f[panel.q] !== undefined).map((f) => [f.tick, panel.scalar ? f[panel.q] : f[panel.q][i][0]]),
        markLine: marks,
      });
      return;
    }
    if (panel.q === 'feature') {
      series.push({
        name: panel.title, type: 'line', xAxisIndex: k, yAxisIndex: k, showSymbol: false, animation: false,
        lineStyle: { width: 3, color: PALETTE.series[panel.feature % PALETTE.series.length] },
        itemStyle: { color: PALETTE.series[panel.feature % PALETTE.series.length] },
        data: frames.filter((f) => f.features && f.features[me]).map((f) => [f.tick, f.features[me][panel.feature]]),
        markLine: marks,
      });
      return;
    }
    const first = series.length;
    all.forEach((p, n) => {
      if (p.i === i) return;
      if (panel.q === 'powers' && !isPower(p)) return;  // only powers induce and press
      const colour = partnerColour(n);
      // Each partner has its own dash and width, so lines that coincide stay distinguishable.
      const line = (q, thin) => ({
        name: `${dn(p.name)} ${q}`, type: 'line', xAxisIndex: k, yAxisIndex: k, animation: false,
        showSymbol: thin, symbol: 'circle', symbolSize: 4, sampling: 'lttb', z: 10 - n,
        lineStyle: { width: thin ? 1.5 : Math.max(2, 4 - n * 0.6), color: colour, type: partnerDash(n) }, itemStyle: { color: colour },
        data: frames.map((f) => [f.tick, panel.q === 'powers' ? f[q][p.i][i] : f[q][i][p.i]]),
      });
      if (panel.q === 'powers') {
        const [qa, qb] = chosenBy(otherKind());
        series.push(line(qa, false));
        if (qb) series.push(line(qb, true));
      } else {
        series.push(line(panel.q, false));
      }
    });
    if (series.length > first) series[first].markLine = marks;
  });
  return series;
}

// Event lines; with labels, written along the line and cut to the chart's height (the
// events list below the charts has them in full).
function eventMarks(withLabels, room) {
  const s = app.status;
  const ticks = new Map();
  for (const e of app.info.scheduled_events) ticks.set(e.tick, ticks.has(e.tick) ? `${ticks.get(e.tick)}; ${e.label}` : e.label);
  const sliders = new Set();
  for (const e of s.slider_events) { ticks.set(e.tick, e.name.replace(/^slider: /, '')); sliders.add(e.tick); }
  return {
    symbol: 'none', silent: true, animation: false,
    lineStyle: { color: PALETTE.events, type: 'dotted', width: 1.5 },
    label: { show: withLabels, position: 'insideEndTop', fontSize: fs(11), color: '#333', formatter: (d) => d.name, width: Math.max(30, room), overflow: 'truncate' },
    // Events close in time put their labels at opposite ends of their lines.
    data: [...ticks.entries()].sort((a, b) => a[0] - b[0]).map(([t, name], k, all) => {
      const close = k > 0 && t - all[k - 1][0] < 0.08 * Math.max(1, app.info.ticks);
      if (!close) eventMarks.flip = false; else eventMarks.flip = !eventMarks.flip;
      return { xAxis: t, name, label: { position: eventMarks.flip ? 'insideStartTop' : 'insideEndTop' },
        lineStyle: sliders.has(t) ? { color: PALETTE.slider_events } : undefined };
    }),
  };
}

function renderCharts() {
  const end = Math.max(app.info.ticks, app.status.tick);
  const first = app.frames.length ? app.frames[0].tick : 0;
  chart.setOption({
    xAxis: panels().map(() => ({ min: first, max: end })),
    series: seriesFor(app.frames),
  }, { replaceMerge: ['series'], lazyUpdate: false });
}

function setView(view) {
  app.view = view;
  for (const b of document.querySelectorAll('#view button')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
  buildPowerLegend();
  buildCharts();
  app.dirty.charts = true;
}

// ---- network ----------------------------------------------------------------------------------

// The edges the model has: the alignment model's policies, when the frames carry them.
const edgeKinds = () => EDGE_KINDS.filter((k) => (app.info.quantities || []).includes(k.key) && schema().kinds);

function buildEdgeLegend() {
  $('edge-legend').innerHTML = edgeKinds().map((k) =>
    `<label class="key" title="${k.tip}. Thicker = stronger. Untick to hide."><input type="checkbox" data-kind="${k.key}" ${app.edgeOn[k.key] ? 'checked' : ''}>
      <span class="swatch" style="background:${edgeColour(k)}"></span>${QUANTITIES[k.key][0].replace('Economic engagement', 'engagement')}</label>`).join('');
  for (const box of $('edge-legend').querySelectorAll('input')) {
    box.addEventListener('change', () => { app.edgeOn[box.dataset.kind] = box.checked; app.dirty.network = true; });
  }
  $('label-legend').innerHTML = labelNames().map((label) =>
    `<span class="key" data-label="${esc(label)}" title="${esc(LABEL_TIPS[label] || pretty(label))}"><span class="dot" style="background:${labelColour(label)}"></span>${esc(pretty(label))}</span>`).join('')
    + (powers().length ? `<span class="key" title="${esc(pretty(otherKind()))}s are the dark squares"><span class="dot" style="background:${PALETTE.great_power_node};border-radius:2px"></span>${esc(pretty(otherKind()))}</span>` : '');
}

// Node positions are kept in percent of the view and drawn in pixels: the graph's view maps its
// data box onto the box left by the margins below, scaling x and y separately, so only a data
// box with the view's own aspect keeps circles round. Two invisible anchors fix that box.
const NET_MARGIN = { left: 30, right: 30, top: 30, bottom: 36 };
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
  ps.forEach((p, k) => { app.positions[p.i] = [((k + 0.5) / ps.length) * 100, 8]; });
  // With no powers on top, the labelled states go round a circle.
  if (!ps.length) smalls.forEach((s, k) => {
    const a = 2 * Math.PI * (k / Math.max(1, smalls.length)) - Math.PI / 2;
    app.positions[s.i] = [50 + 44 * Math.cos(a), 48 + 42 * Math.sin(a)];
  });
  else smalls.forEach((s, k) => {
    const a = Math.PI * (0.1 + 0.8 * (smalls.length === 1 ? 0.5 : k / (smalls.length - 1)));
    app.positions[s.i] = [50 - 44 * Math.cos(a), 28 + 56 * Math.sin(a)];
  });
  network.setOption({
    animation: false,
    tooltip: { textStyle: { fontSize: fs(14) } },
    series: [{
      type: 'graph', layout: 'none', roam: false, ...NET_MARGIN, z: 2,
      label: { show: true, position: 'bottom', fontSize: fs(14), fontWeight: 600, color: '#1b1f24' },
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
    const great = isPower(s);
    // Neighbours on the arc are close at its bottom: every other label a line lower.
    const drop = !great && powers().length && smallIndex.get(i) % 2 === 1 ? fs(15) : 0;
    const colour = great ? PALETTE.great_power_node : (labelOf[s.name] ? labelColour(labelOf[s.name]) : '#444');
    return {
      name: s.name, ...netXY(i),
      symbol: great ? 'roundRect' : 'circle', symbolSize: great ? [44, 32] : (i === app.focus ? 34 : 26),
      // Power labels above (the edges arrive below), broken into lines to fit between neighbours.
      label: { position: great ? 'top' : 'bottom', offset: [0, drop], formatter: dn(s.name),
        ...(great ? { width: Math.max(40, netView().w / powers().length - 6), overflow: 'break', lineHeight: fs(14), fontSize: fs(13) } : {}) },
      itemStyle: { color: colour, borderColor: i === app.focus ? '#ffbf00' : '#fff', borderWidth: i === app.focus ? 4 : 1.5 },
      tooltip: { formatter: great ? `${esc(dn(s.name))}: ${esc(pretty(kindOf(s)))}` : `${esc(dn(s.name))}: ${pretty(labelOf[s.name] || 'no strategy yet')}` },
    };
  }).concat(anchors());
  const links = [];
  const smalls = smallStates();
  const rivals = new Set(app.info.rivals || []);  // ties to these count for the labels
  for (const kind of edgeKinds()) {
    if (!app.edgeOn[kind.key]) continue;
    const m = f[kind.key];
    for (const s of smalls) {
      for (let j = 0; j < states.length; ++j) {
        if (j === s.i) continue;
        if (kind.key !== 'engagement' && !isPower(states[j]) && !rivals.has(states[j].name)) continue;
        const v = m[s.i][j];
        if (v < 0.05) continue;
        links.push({
          source: s.name, target: states[j].name, value: v,
          lineStyle: { color: edgeColour(kind), width: 1 + 7 * v, curveness: kind.curve, opacity: kind.key === 'engagement' ? 0.35 : 0.85 },
          tooltip: { formatter: `${esc(dn(s.name))} → ${esc(dn(states[j].name))}: ${QUANTITIES[kind.key][0].toLowerCase()} ${v.toFixed(2)}` },
        });
      }
    }
  }
  network.setOption({ series: [{ data: nodes, links }] });
}

// ---- explain ----------------------------------------------------------------------------------

let explainBusy = false;
async function refreshExplain() {
  if (explainBusy || !app.session) return;
  explainBusy = true;
  const session = app.session;
  const name = app.info.states[app.focus].name;
  try {
    const e = await api('GET', `/api/sessions/${session}/explain?state=${encodeURIComponent(name)}`);
    if (session === app.session) renderExplain(e);
  } catch (e) {
    if (session === app.session) showError(e.message);
  } finally {
    explainBusy = false;
  }
}

function renderExplain(e) {
  $('explain-title').textContent = `Why ${dn(e.state)} does what it does (${when(e.tick)})`;
  $('explain-outcome').innerHTML = e.outcome
    ? `${badge(e.outcome.label)} ${qualifierNames().map((q) => `<span class="qualifier" data-qualifier="${esc(q)}" title="${esc(qualifierTip(q, e.outcome[q]))}">${esc(pretty(q))}: ${esc(e.outcome[q])}</span>`).join(' ')}<br>${esc(e.outcome.reason)}`
    : '';
  const scale = Math.max(1e-9, ...e.terms.map((t) => Math.abs(t.value)));
  $('explain-terms').innerHTML = e.terms.map((t) => {
    const w = (Math.abs(t.value) / scale) * 50;
    const style = t.value >= 0 ? `left:50%;width:${w}%` : `left:${50 - w}%;width:${w}%`;
    return `<div class="term ${t.term === 'total' ? 'total' : ''}" data-term="${esc(t.term)}">
      <span class="name" title="${esc(TERMS[t.term] || t.term)}">${esc(pretty(t.term))}</span>
      <span class="bar-area"><span class="zero"></span><span class="bar ${t.value >= 0 ? 'pos' : 'neg'}" style="${style}"></span></span>
      <span class="value">${fmt(t.value, 3)}</span></div>`;
  }).join('');
  // The parts by partner, one partner at a time (a select): two columns fit any panel width,
  // however many partners and terms the model reports.
  const self = app.info.states.findIndex((s) => s.name === e.state);
  const cols = e.partner_columns.map((c, j) => ({ c, j })).filter((x) => x.j !== self);
  const pick = $('explain-partner');
  const keep = pick.value;
  pick.innerHTML = cols.map((x) => `<option value="${x.j}">${esc(dn(x.c))}</option>`).join('');
  const focalIndex = app.info.states.findIndex((s) => s.name === app.info.focal);
  pick.value = cols.some((x) => String(x.j) === keep) ? keep : String(cols.some((x) => x.j === focalIndex) ? focalIndex : (cols[0] || { j: 0 }).j);
  app.lastExplain = e;
  renderPartnerParts();
  $('explain-reasons').innerHTML = e.reasons.map((r) => `<li>${esc(r)}</li>`).join('');
}

function renderPartnerParts() {
  const e = app.lastExplain;
  const j = Number($('explain-partner').value);
  $('explain-partners').innerHTML = `<tr><th>part</th><th>value</th></tr>` + e.by_partner.map((t) => {
    const v = t.values[j];
    return `<tr data-term="${esc(t.term)}"><td title="${esc(TERMS[t.term] || '')}">${esc(pretty(t.term))}</td><td class="${v < 0 && fmt(v, 3) !== fmt(0, 3) ? 'neg' : ''}" title="${fmt(v, 5)}">${fmt(v, 3)}</td></tr>`;
  }).join('');
}

function selectTab(which) {
  app.explainOpen = which === 'explain';
  for (const t of ['network', 'explain', 'info']) {
    $(`tab-${t}`).setAttribute('aria-selected', String(t === which));
    $(`panel-${t}`).hidden = t !== which;
  }
  if (which === 'explain') refreshExplain();
  if (which === 'network') { network.resize(); app.dirty.network = true; }
}

// ---- the render loop ---------------------------------------------------------------------------

const fps = { frames: 0, times: [], last: 0 };
app.fps = fps;
const refreshed = { charts: 0, network: 0, explain: 0 };

// The views the loop redraws; a test may replace one to check that a throw stops nothing.
app.renderers = { table: renderTable, charts: renderCharts, network: renderNetwork, explain: refreshExplain };

function draw(view) {
  try {
    app.renderers[view]();
    return true;
  } catch (e) {
    // Keep the newest few; the view is drawn again with the next data.
    app.renderErrors.push({ view, message: String(e && e.message ? e.message : e), tick: app.status && app.status.tick });
    if (app.renderErrors.length > 20) app.renderErrors.shift();
    return false;
  }
}

// The data a redraw reads belongs to one scenario: info, frames, status and focus agree.
function consistent() {
  const info = app.info, s = app.status;
  if (!(info && s && app.focus !== null && info.states[app.focus] && isLabelled(info.states[app.focus]))) return false;
  const f = app.frames[app.frames.length - 1];
  const q = (info.quantities || []).find((x) => !isScalar(x));
  return !f || !q || !f[q] || f[q].length === info.states.length;
}

function frame(now) {
  requestAnimationFrame(frame);  // first: nothing below can stop the loop
  fps.frames += 1;
  fps.times.push(now);
  while (fps.times.length && now - fps.times[0] > 1000) fps.times.shift();
  if (now - fps.last > 500) {
    $('fps').textContent = `${fps.times.length} fps`;
    fps.last = now;
  }
  if (!consistent()) return;
  if (app.dirty.table) { app.dirty.table = false; draw('table'); }
  // Charts at most 8 times a second, the network 4, the explanation 2: enough to look live,
  // cheap enough to keep the page at the screen's frame rate on a classroom laptop.
  if (app.dirty.charts && now - refreshed.charts > 125) { app.dirty.charts = false; refreshed.charts = now; draw('charts'); }
  if (!app.explainOpen && app.dirty.network && now - refreshed.network > 250) { app.dirty.network = false; refreshed.network = now; draw('network'); }
  if (app.explainOpen && app.dirty.explain && now - refreshed.explain > 500) { app.dirty.explain = false; refreshed.explain = now; draw('explain'); }
}

// ---- wiring -------------------------------------------------------------------------------------

function focusOn(i) {
  app.focus = i;
  $('focus').value = String(i);
  buildPowerLegend();
  app.dirty = { charts: true, network: true, table: true, explain: true };
  if (app.explainOpen) refreshExplain();
}

function setLarge(on) {
  app.large = on;
  document.body.classList.toggle('large', on);
  $('large').setAttribute('aria-pressed', String(on));
  if (app.info) { buildCharts(); buildNetwork(); app.dirty = { charts: true, network: true, table: true, explain: true }; }
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
  for (const t of ['network', 'explain', 'info']) $(`tab-${t}`).addEventListener('click', () => selectTab(t));
  for (const b of document.querySelectorAll('#view button')) b.addEventListener('click', () => setView(b.dataset.view));
  $('large').addEventListener('click', () => setLarge(!app.large));
  $('explain-partner').addEventListener('change', renderPartnerParts);
  $('scenario').addEventListener('change', () => switchScenario($('scenario').value));
  document.addEventListener('keydown', (ev) => {
    if (ev.code === 'Space' && !['INPUT', 'SELECT', 'BUTTON'].includes(document.activeElement.tagName)) {
      ev.preventDefault();
      $('play').click();
    }
  });
}

async function start() {
  wire();
  requestAnimationFrame(frame);
  try {
    PALETTE = await api('GET', '/assets/palette.json');
    const list = await api('GET', '/api/scenarios');
    $('scenario').innerHTML = list.scenarios.map((s) =>
      `<option value="${esc(s.id)}" title="${esc(s.description || '')}">${esc(s.id.replace(/\.yaml$/, ''))}</option>`).join('');
    const stored = JSON.parse(sessionStorage.getItem('alignsim-session') || 'null');
    await openSession(stored ? stored.scenario : list.default);
  } catch (e) {
    showError(`Cannot start: ${e.message}`);
  }
}

start();
