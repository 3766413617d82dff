// The live view as a teacher needs it (issue 12): it survives scenario switches at random
// moments while playing and a redraw that throws; it fits 1024×768, 1280×720 and 1920×1080
// with no control or panel cut off or overlapped; the monthly timeline shows dates and event
// labels; and its label colours are the reports' (one palette). Asserts structure only, never
// the model's numbers. Screenshots go to the artifacts folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { artifacts, binary, check, freePort, launchBrowser, runAlignsim, sourceDir } from './support.mjs';

const SCENARIOS = ['asean_2016.yaml', 'cambodia_2010_2016.yaml', 'classroom/aligners.yaml', 'classroom/claimants.yaml'];

function startServer(port) {
  const child = spawn(binary, ['serve', 'scenarios/asean_2016.yaml', '--port', String(port)],
    { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => process.stderr.write(`[server] ${d}`));
  return child;
}

async function waitForServer(base, child) {
  for (let k = 0; k < 100; ++k) {
    if (child.exitCode !== null) throw new Error(`alignsim serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/scenarios`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('alignsim serve did not answer within 10 s');
}

// A deterministic pseudo-random sequence (the test must be reproducible).
function lcg(seed) {
  let x = seed >>> 0;
  return () => { x = (1664525 * x + 1013904223) >>> 0; return x / 2 ** 32; };
}

// What the views carry right now: table rows, chart series with points, network nodes and
// edges, the texts drawn on the charts' canvas (axis labels, event labels).
async function views(page) {
  return page.evaluate(() => {
    const app = window.alignsimLive;
    const { chart, network } = app.echarts();
    const series = chart.getOption().series || [];
    const graph = (network.getOption().series || [])[0] || {};
    const texts = [];
    for (const el of chart.getZr().storage.getDisplayList(true)) if (el.style && el.style.text) texts.push(String(el.style.text));
    return {
      scenario: app.info && app.info.scenario,
      tick: app.status ? app.status.tick : -1,
      rows: document.querySelectorAll('#states tbody tr[data-state]').length,
      smalls: app.info ? app.info.states.filter((s) => s.role === 'small_state').length : 0,
      series: series.length,
      points: series.reduce((n, s) => n + (s.data ? s.data.length : 0), 0),
      nodes: (graph.data || []).length,
      states: app.info ? app.info.states.length : 0,
      links: (graph.links || []).length,
      texts,
      errors: app.renderErrors.length,
    };
  });
}

// The boxes of every control and panel that must be on screen, with their names.
async function boxes(page) {
  return page.evaluate(() => {
    const pick = (sel) => Array.from(document.querySelectorAll(sel)).filter((e) => e.offsetParent !== null || e.tagName === 'BODY');
    const named = (e) => e.id ? `#${e.id}` : `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''}${e.textContent ? ` "${e.textContent.trim().slice(0, 20)}"` : ''}`;
    const box = (e) => { const r = e.getBoundingClientRect(); return { name: named(e), x: r.left, y: r.top, w: r.width, h: r.height, right: r.right, bottom: r.bottom,
      clipped: e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto' && getComputedStyle(e).overflowX !== 'scroll' }; };
    return {
      W: window.innerWidth, H: window.innerHeight,
      controls: pick('#bar > *, #bar .buttons > button, #bar label > *, .tabs > button, #view > button, #focus').map(box),
      panels: pick('#left, #center, #right, #chart, #network, #events-box, #states, #sliders').map(box),
      bar: pick('#bar > *').map(box),
      columns: pick('main > section').map(box),
      events: box(document.getElementById('events')),
      eventsBox: box(document.getElementById('events-box')),
      sliders: pick('#sliders input[type=range]').map(box),
      cells: pick('#states td, #states th').map(box),
      sideways: pick('main > section, .table-wrap, #events-box, #bar').filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${named(e)} ${e.scrollWidth} > ${e.clientWidth}`),
      pageScroll: [document.documentElement.scrollWidth - window.innerWidth, document.documentElement.scrollHeight - window.innerHeight],
    };
  });
}

// Presses Play unless the run is playing already.
async function play(page) {
  if (!(await page.evaluate(() => window.alignsimLive.status && window.alignsimLive.status.playing))) await page.locator('#play').click();
}

const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.x, b.x) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.y, b.y) > 1;
const inside = (b, W, H) => b.x >= -0.5 && b.y >= -0.5 && b.right <= W + 0.5 && b.bottom <= H + 0.5;

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(port);
  let browser;
  try {
    await waitForServer(base, server);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    await page.goto(base);
    await page.locator('#states tr[data-state]').first().waitFor();

    // ---- 1. Twenty scenario switches at random moments while playing -----------------------
    const random = lcg(12);
    await page.evaluate(() => fetch(`/api/sessions/${window.alignsimLive.session}/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'speed', speed: 60 }) }));
    const failures = [];
    let current = 'asean_2016.yaml';
    for (let k = 0; k < 20; ++k) {
      await play(page);
      await page.waitForTimeout(Math.floor(random() * 400));  // a random moment of the run
      const choices = SCENARIOS.filter((s) => s !== current);
      current = choices[Math.floor(random() * choices.length)];
      // The session before the switch: a double switch can land back on the scenario it left,
      // so waiting for the scenario's name alone could read the old session's state.
      const left = await page.evaluate(() => window.alignsimLive.session);
      await page.locator('#scenario').selectOption(current);
      // Sometimes switch again before the first switch has landed.
      if (random() < 0.3) {
        await page.waitForTimeout(Math.floor(random() * 60));
        current = SCENARIOS.filter((s) => s !== current)[Math.floor(random() * (SCENARIOS.length - 1))];
        await page.locator('#scenario').selectOption(current);
      }
      await page.waitForFunction(([id, gone]) => window.alignsimLive.info && window.alignsimLive.info.scenario === id
        && window.alignsimLive.session && window.alignsimLive.session !== gone && window.alignsimLive.status, [current, left], { timeout: 10000 });
      await play(page);
      await page.waitForFunction(() => window.alignsimLive.status && window.alignsimLive.status.tick >= 3, null, { timeout: 10000 }).catch(() => {});
      await page.waitForTimeout(450);  // charts redraw at most 8 times a second, the network 4
      const v = await views(page);
      const ok = v.scenario === current && v.tick >= 3 && v.rows === v.smalls && v.rows > 0 && v.series > 0 && v.points > 0
        && v.nodes === v.states + 2 && v.links > 0 && v.errors === 0;
      if (!ok) failures.push(`switch ${k + 1} to ${current}: ${JSON.stringify({ ...v, texts: v.texts.length })}`);
    }
    check(failures.length === 0, `after each of 20 switches while playing, table, charts and network carry data (${failures.join('; ') || 'all 20'})`);

    // ---- 1b. A redraw that throws does not stop the loop -------------------------------------
    const before = await page.evaluate(() => {
      const app = window.alignsimLive;
      app.realCharts = app.renderers.charts;
      app.renderers.charts = () => { throw new Error('injected by the browser test'); };
      return { frames: app.fps.frames, tick: app.status.tick, errors: app.renderErrors.length };
    });
    await page.waitForTimeout(1200);
    const during = await page.evaluate(() => {
      const app = window.alignsimLive;
      const texts = document.querySelector('#states tbody').innerText;
      return { frames: app.fps.frames, tick: app.status.tick, errors: app.renderErrors.length, last: app.renderErrors[app.renderErrors.length - 1], texts };
    });
    check(during.errors > before.errors && during.last.view === 'charts' && during.last.message.includes('injected'),
      `the thrown redraw is caught and recorded (${during.errors - before.errors} times)`);
    check(during.frames - before.frames > 20, `the render loop goes on while the charts' redraw throws (${during.frames - before.frames} frames in 1.2 s)`);
    const pointsBefore = (await views(page)).points;
    await page.evaluate(() => { const app = window.alignsimLive; app.renderers.charts = app.realCharts; app.renderErrors.length = 0; });
    await play(page);
    await page.waitForTimeout(600);
    const after = await views(page);
    check(after.points > pointsBefore || after.tick > during.tick, `once the redraw works again the charts follow the run (points ${pointsBefore} → ${after.points}, tick ${during.tick} → ${after.tick})`);
    if (await page.evaluate(() => window.alignsimLive.status.playing)) await page.locator('#play').click();

    // ---- 3. Dates and event labels in the monthly 2010–2016 timeline ---------------------------
    await page.locator('#scenario').selectOption('cambodia_2010_2016.yaml');
    await page.waitForFunction(() => window.alignsimLive.info.scenario === 'cambodia_2010_2016.yaml' && window.alignsimLive.status);
    await page.getByRole('button', { name: /Reset/ }).click();
    await page.evaluate(() => fetch(`/api/sessions/${window.alignsimLive.session}/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'step', steps: 120 }) }));
    await page.waitForFunction(() => window.alignsimLive.status.tick === 120, null, { timeout: 10000 }).catch(() => {});
    await page.getByRole('button', { name: /Step/ }).click();  // polls the stepped ticks
    await page.waitForTimeout(700);
    const info = await page.evaluate(() => window.alignsimLive.info);
    const labels = info.scheduled_events.map((e) => e.label);
    const dates = (await views(page)).texts.filter((t) => /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (19|20)\d\d$/.test(t));
    check(dates.length >= 4, `the charts' x axes show dates, not ticks (${dates.slice(0, 6).join(', ')})`);
    const drawn = (await views(page)).texts;
    const shown = labels.filter((l) => drawn.some((t) => t.includes(l.slice(0, 12))));
    check(labels.length > 0 && labels.every((l, k) => l !== info.scheduled_events[k].name) && shown.length >= Math.min(3, labels.length),
      `event lines carry the events' labels (${shown.length} of ${labels.length} drawn: ${shown.slice(0, 3).join('; ')})`);
    const eventItems = await page.locator('#events li').allTextContents();
    check(eventItems.length === labels.length && eventItems.every((t) => /(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/.test(t)),
      `the event list gives each event's date and label (${eventItems[eventItems.length - 1]})`);
    const names = await page.locator('#states td.name').allTextContents();
    const shownNames = info.states.filter((s) => s.role === 'small_state').map((s) => s.display_name);
    check(names.join('|') === shownNames.join('|') && names.every((n) => /^[A-Z]/.test(n)), `the table shows display names (${names.join(', ')})`);
    check(/(19|20)\d\d/.test(await page.locator('#date').innerText()), `the clock shows the date (${await page.locator('#date').innerText()})`);
    await page.getByRole('tab', { name: 'Info' }).click();
    const infoText = await page.locator('#info').innerText();
    check(infoText.includes(info.description.slice(0, 30)) && labels.every((l) => infoText.includes(l)), 'the Info tab has the description and every event');
    await page.getByRole('tab', { name: 'Network' }).click();

    // ---- 2. Layout at three sizes: nothing outside the viewport, nothing overlapped ----------
    for (const [W, H] of [[1024, 768], [1280, 720], [1920, 1080]]) {
      await page.setViewportSize({ width: W, height: H });
      await page.waitForTimeout(500);
      for (const tab of ['Network', 'Explain']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.waitForTimeout(tab === 'Explain' ? 700 : 300);
        const b = await boxes(page);
        const out = [...b.controls, ...b.panels, ...b.sliders].filter((x) => x.w > 0 && !inside(x, W, H)).map((x) => `${x.name} at ${Math.round(x.x)},${Math.round(x.y)} ${Math.round(x.w)}×${Math.round(x.h)}`);
        check(out.length === 0, `${W}×${H} (${tab}): every control and panel is inside the viewport (${out.join('; ') || 'all'})`);
        const pairs = [];
        const groups = [b.bar, b.columns, b.controls.filter((c) => c.name.startsWith('button') || c.name.startsWith('#'))];
        for (const g of groups) for (let i = 0; i < g.length; ++i) for (let j = i + 1; j < g.length; ++j) {
          if (g[i].w > 0 && g[j].w > 0 && overlap(g[i], g[j]) && !(g[i].x <= g[j].x && g[i].right >= g[j].right && g[i].y <= g[j].y && g[i].bottom >= g[j].bottom)
            && !(g[j].x <= g[i].x && g[j].right >= g[i].right && g[j].y <= g[i].y && g[j].bottom >= g[i].bottom)) pairs.push(`${g[i].name} / ${g[j].name}`);
        }
        check(pairs.length === 0, `${W}×${H} (${tab}): no two controls or panels overlap (${pairs.join('; ') || 'none'})`);
        const clipped = [...b.controls, ...b.cells].filter((x) => x.clipped).map((x) => x.name);
        check(clipped.length === 0, `${W}×${H} (${tab}): no control or table cell cuts its text (${clipped.join('; ') || 'none'})`);
        check(b.sideways.length === 0, `${W}×${H} (${tab}): no panel scrolls sideways, i.e. hides a part of its content (${b.sideways.join('; ') || 'none'})`);
        check(b.pageScroll[0] <= 0 && b.pageScroll[1] <= 0, `${W}×${H}: the page itself does not scroll (${b.pageScroll.join(', ')})`);
        if (W === 1280) {
          check(b.eventsBox.y >= 0 && b.eventsBox.bottom <= H && b.events.y < H - 20 && b.events.h > 0,
            `1280×720: the Events list is visible without scrolling (top at ${Math.round(b.events.y)} px of ${H})`);
        }
        await page.screenshot({ path: path.join(artifacts, `live-${W}x${H}-${tab.toLowerCase()}.png`) });
      }
      await page.getByRole('tab', { name: 'Network' }).click();
    }
    // Projector mode: larger type, still no page scroll at 1280×720.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator('#large').click();
    await page.waitForTimeout(500);
    const large = await page.evaluate(() => [getComputedStyle(document.documentElement).fontSize, document.documentElement.scrollHeight - innerHeight]);
    check(large[0] === '20px' && large[1] <= 0, `projector mode enlarges the type (${large[0]}) and the page does not scroll`);
    await page.screenshot({ path: path.join(artifacts, 'live-1280x720-large.png') });
    await page.locator('#large').click();

    // ---- 5. One palette: every label's colour in the live view equals the report's ----------
    const live = await page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('#label-legend [data-label]'))
      .map((e) => [e.dataset.label, getComputedStyle(e.querySelector('.dot')).backgroundColor])));
    const work = mkdtempSync(path.join(tmpdir(), 'alignsim-live-'));
    const run = await runAlignsim(['run', 'scenarios/asean_2016.yaml', '--ticks', '40', '--out', path.join(work, 'run')]);
    const rep = await runAlignsim(['report', path.join(work, 'run'), '-o', path.join(work, 'run.html')]);
    check(run.code === 0 && rep.code === 0, 'a run report for the palette comparison');
    const reportPage = await browser.newPage();
    await reportPage.goto(pathToFileURL(path.join(work, 'run.html')).href);
    await reportPage.waitForFunction(() => window.alignsimReport && window.alignsimReport.charts.length > 0);
    const report = await reportPage.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('#legend [data-label]'))
      .map((e) => [e.dataset.label, getComputedStyle(e.querySelector('.swatch')).backgroundColor])));
    // The one source of label colours: the model's schema, inlined in the report and served to the page.
    const heatmapPieces = await reportPage.evaluate(() => window.alignsimReport.data.schema.labels);
    await reportPage.close();
    const served = await page.evaluate(() => window.alignsimLive.info.schema.labels);
    const palette = Object.fromEntries(served.map((l) => [l.name, l.colour]));
    check(!('labels' in JSON.parse(readFileSync(path.join(sourceDir, 'tools/web/palette.json'), 'utf8'))), 'palette.json has no label colours (the schema has them)');
    const hex = (rgb) => '#' + rgb.match(/\d+/g).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('');
    const names2 = Object.keys(report);
    const differ = names2.filter((l) => !live[l] || hex(live[l]) !== hex(report[l]) || hex(report[l]) !== palette[l].toLowerCase());
    check(names2.length >= 7 && Object.keys(live).length >= 7 && differ.length === 0 && JSON.stringify(heatmapPieces.map((l) => [l.name, l.colour])) === JSON.stringify(served.map((l) => [l.name, l.colour])),
      `every label has one colour in the live view, the report and the model's schema (${names2.map((l) => `${l} ${hex(report[l])}`).join(', ')}; differ: ${differ.join(', ') || 'none'})`);
    const badges = await page.evaluate(() => Array.from(document.querySelectorAll('#states .badge[data-label]')).map((e) => [e.dataset.label, getComputedStyle(e).backgroundColor]));
    check(badges.length > 0 && badges.every(([l, c]) => hex(c) === palette[l].toLowerCase()), `the table's strategy badges use the palette (${badges.length} badges)`);

    check(problems.length === 0, `no page or console errors (${problems.join('; ') || 'none'})`);
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
