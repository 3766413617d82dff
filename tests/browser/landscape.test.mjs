// The second model in the browser (issue 9, "one engine, many models"): `alignsim serve` with
// Axelrod & Bennett's Europe of 1936 (the landscape model) shows a side badge per state in the
// model's own colours and the energy curve; and `alignsim report` of a europe_1936 run draws
// its sides, its energy and each actor's side over time. Nothing here names the alignment
// model's words: labels, colours and quantities come from the served schema.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { artifacts, binary, check, freePort, launchBrowser, runAlignsim, sourceDir } from './support.mjs';

const SCENARIO = 'scenarios/landscape/europe_1936.yaml';
const hex = (c) => {
  const m = String(c).match(/\d+/g);
  return c.startsWith('#') ? c.toLowerCase() : '#' + m.slice(0, 3).map((x) => Number(x).toString(16).padStart(2, '0')).join('');
};

const port = await freePort();
const server = spawn(binary, ['serve', SCENARIO, '--port', String(port)], { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
server.stderr.on('data', (d) => process.stderr.write(`[server] ${d}`));
const base = `http://127.0.0.1:${port}`;
const browser = await launchBrowser();
try {
  for (let k = 0; k < 100; ++k) {
    try { if ((await fetch(`${base}/api/scenarios`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  // ---- 1. The live view -------------------------------------------------------------------
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForFunction(() => window.alignsimLive.info && window.alignsimLive.status);
  const info = await page.evaluate(() => window.alignsimLive.info);
  check(info.schema.model === 'landscape' && info.states.length === 17, `europe_1936 is loaded with its 17 states (${info.schema.model})`);
  check(JSON.stringify(info.schema.labels.map((l) => l.name)) === '["side_a","side_b"]', 'the served schema names the sides');
  check(info.states[await page.evaluate(() => window.alignsimLive.focus)].name === info.focus, `the charted state is the scenario's first labelled state (${info.focus})`);
  await page.locator('#play').click();
  await page.waitForFunction(() => window.alignsimLive.status.tick >= 5, null, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll('#states .badge').length === 17, null, { timeout: 10000 });
  const badges = await page.$$eval('#states .badge', (bs) => bs.map((b) => [b.dataset.label, getComputedStyle(b).backgroundColor]));
  const colours = Object.fromEntries(info.schema.labels.map((l) => [l.name, l.colour.toLowerCase()]));
  check(badges.length === 17 && badges.every(([l]) => l === 'side_a' || l === 'side_b'), `17 side badges (${badges.filter(([l]) => l === 'side_a').length} side_a)`);
  check(badges.every(([l, c]) => hex(c) === colours[l]), 'each badge has its side\'s colour from the schema');
  const legend = await page.$$eval('#label-legend [data-label]', (ks) => ks.map((k) => k.dataset.label));
  check(JSON.stringify(legend) === '["side_a","side_b"]', `the legend lists the schema's labels (${legend.join(', ')})`);
  // Pause before reading the charts, so the data stops moving.
  await page.locator('#play').click();
  await page.waitForFunction(() => !window.alignsimLive.status.playing);
  await page.waitForTimeout(400);
  const charts = await page.evaluate(() => {
    const o = window.alignsimLive.echarts().chart.getOption();
    return { titles: o.title.map((t) => t.text), series: o.series.map((s) => [s.name, s.data.length]) };
  });
  const energy = charts.series.find(([n]) => /^Energy/.test(n));
  check(charts.titles.some((t) => /^Energy/.test(t)) && energy && energy[1] >= 5, `the energy chart is drawn (${charts.titles.join('; ')}; ${energy && energy[1]} points)`);
  check(charts.titles.includes('Side'), 'the chosen state\'s side is charted');
  await page.screenshot({ path: path.join(artifacts, 'live-europe_1936.png') });
  const renderErrors = await page.evaluate(() => window.alignsimLive.renderErrors);
  check(errors.length === 0 && renderErrors.length === 0, `no page or render errors (${errors.concat(renderErrors.map((e) => e.message)).join('; ') || 'none'})`);

  // ---- 2. The run report ------------------------------------------------------------------
  const work = mkdtempSync(path.join(os.tmpdir(), 'alignsim-landscape-'));
  const run = await runAlignsim(['run', SCENARIO, '--out', path.join(work, 'run')]);
  const rep = await runAlignsim(['report', path.join(work, 'run'), '-o', path.join(work, 'run.html')]);
  check(run.code === 0 && rep.code === 0, `a europe_1936 run report is written (${rep.stderr.trim() || 'ok'})`);
  const report = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const reportErrors = [];
  report.on('pageerror', (e) => reportErrors.push(e.message));
  await report.goto('file://' + path.join(work, 'run.html'));
  await report.waitForFunction(() => window.alignsimReport && window.alignsimReport.charts.length > 0);
  const rows = await report.$$eval('table tr[data-state] .chip', (cs) => cs.map((c) => [c.dataset.label, getComputedStyle(c.querySelector('.swatch')).backgroundColor]));
  check(rows.length === 17 && rows.every(([l, c]) => colours[l] && hex(c) === colours[l]), `the sides table has 17 actors in the schema's colours (${rows.length})`);
  const ids = await report.$$eval('[data-chart]', (bs) => bs.map((b) => b.dataset.chart));
  check(ids.includes('scalar-energy') && ids.includes('labels-over-time') && ids.filter((i) => i.startsWith('agent-')).length === 17,
    `the report draws the energy, the labels over time and each actor's quantities (${ids.length} charts)`);
  const heading = await report.locator('h2').allInnerTexts();
  check(heading.some((h) => /^Sides/.test(h)), `the labels' section is the schema's title (${heading.find((h) => /^Sides/.test(h))})`);
  await report.screenshot({ path: path.join(artifacts, 'report-europe_1936.png'), fullPage: false });
  check(reportErrors.length === 0, `no report page errors (${reportErrors.join('; ') || 'none'})`);
} finally {
  await browser.close();
  server.kill();
}
