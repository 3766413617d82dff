// `alignsim report` in real headless Chromium, offline: a run report and two sweep reports (a
// 4×4 grid and a tiny sobol design) open from file:// with every network request blocked,
// draw every chart with data, log no console errors. Screenshots go to the artifacts folder.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, runAlignsim, artifacts, sourceDir, check } from './support.mjs';

const work = mkdtempSync(path.join(tmpdir(), 'alignsim-report-'));
const scenario = path.join(sourceDir, 'scenarios/asean_2016.yaml');

async function alignsim(args) {
  const r = await runAlignsim(args);
  check(r.code === 0, `alignsim ${args.join(' ')} exits 0 (stderr: ${r.stderr.trim()})`);
  return r;
}

// Inputs: one run, a 4×4 grid with 2 replications, a sobol design with N = 4 (20 points).
await alignsim(['run', scenario, '--ticks', '60', '--seed', '7', '--out', path.join(work, 'run')]);
writeFileSync(path.join(work, 'grid.yaml'), `scenario: ${scenario}
design: grid
replications: 2
seed: 2016
ticks: 50
parameters:
  states.cambodia.dependence_aversion: {range: [0, 20], steps: 4}
  states.china.assertiveness: {range: [0, 1], steps: 4}
outputs:
  states: [cambodia, laos]
`);
writeFileSync(path.join(work, 'sobol.yaml'), `scenario: ${scenario}
design: sobol
points: 4
replications: 1
seed: 2016
ticks: 40
parameters:
  states.cambodia.dependence_aversion: {range: [0, 20]}
  states.china.assertiveness: {range: [0, 1]}
  relations.china.cambodia.base_inducement: {range: [0, 1]}
outputs:
  states: [cambodia]
  features: [deference, diversification]
`);
for (const name of ['grid', 'sobol'])
  await alignsim(['sweep', path.join(work, `${name}.yaml`), '--out', path.join(work, name), '--threads', '1', '--quiet']);
// Issue 12: the monthly timeline (dates, event labels) and the US-courtship sweep (continuous
// outputs with confidence bands, outputs towards every partner, the summary).
await alignsim(['run', path.join(sourceDir, 'scenarios/cambodia_2010_2016.yaml'), '--out', path.join(work, 'timeline')]);
await alignsim(['sweep', path.join(sourceDir, 'scenarios/sweeps/cambodia_us_courtship.yaml'), '--out', path.join(work, 'courtship'), '--threads', '2', '--quiet']);

// Every text drawn on a chart's canvas (axis labels, event labels).
const drawnTexts = (page, id) => page.evaluate((chartId) => {
  const inst = echarts.getInstanceByDom(document.querySelector(`[data-chart="${chartId}"]`));
  return inst.getZr().storage.getDisplayList(true).filter((e) => e.style && e.style.text).map((e) => String(e.style.text));
}, id);
const MONTH_YEAR = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (19|20)\d\d$/;

async function timelineChecks(page) {
  const data = await page.evaluate(() => window.alignsimReport.data);
  const texts = await drawnTexts(page, 'trajectory-cambodia');
  const dates = texts.filter((t) => MONTH_YEAR.test(t));
  check(dates.length >= 3, `timeline: the x axis shows dates (${dates.join(', ')})`);
  const labels = data.events.map((e) => e.label);
  check(labels.length > 0 && labels.every((l, k) => l !== data.events[k].name), `timeline: every event has a label (${labels.join('; ')})`);
  const shown = labels.filter((l) => texts.some((t) => t.includes(l.slice(0, 12))));
  check(shown.length === new Set(labels).size, `timeline: the event lines carry the labels (${shown.length} of ${labels.length})`);
  const names = await page.locator('table tr td:first-child').first().innerText();
  check(/^[A-Z]/.test(names), `timeline: tables use display names (${names})`);
}

async function courtshipChecks(page) {
  const data = await page.evaluate(() => window.alignsimReport.data);
  const summary = await page.locator('#summary').innerText();
  check(summary.length > 80 && data.parameters.every((p) => summary.includes(p.label)),
    `courtship: the summary names the parameters in words (${summary.slice(0, 160)}…)`);
  check(data.parameters.every((p) => p.label && p.label !== p.path), `courtship: parameters have names (${data.parameters.map((p) => p.label).join('; ')})`);
  check(data.points.every((r) => Array.isArray(r.ci) && r.ci.length === data.features.length) && data.points.some((r) => r.ci.some((c) => c > 0)),
    'courtship: every point carries confidence half-widths of its continuous outputs');
  const partners = new Set(data.partner_outputs.map((o) => o.partner));
  check(partners.size >= 3, `courtship: outputs towards every partner (${[...partners].join(', ')})`);
  // Every output, of either kind, can be chosen and draws a heatmap and lines with bands.
  const select = page.locator('select[data-state="cambodia"]');
  const values = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  check(values.length === data.features.length + data.partner_outputs.length, `courtship: the output selector lists ${values.length} outputs`);
  const deferenceToChina = values.find(([, t]) => /deference towards China/.test(t));
  for (const [value, text] of [values[0], deferenceToChina]) {
    await page.locator('select[data-state="cambodia"]').selectOption(value);
    await page.waitForTimeout(300);
    const drawn = await page.evaluate(() => ['output-heatmap-cambodia', 'output-lines-cambodia'].map((id) => {
      const inst = echarts.getInstanceByDom(document.querySelector(`[data-chart="${id}"]`));
      const series = inst.getOption().series;
      return { id, series: series.length, points: series.reduce((n, s) => n + s.data.length, 0), bands: series.filter((s) => s.areaStyle).length };
    }));
    check(drawn[0].points >= 6 * 7 && drawn[1].bands >= 2 && drawn[1].points > 0,
      `courtship: ${text}: heatmap of ${drawn[0].points} cells and lines with ${drawn[1].bands} confidence bands`);
  }
  await page.screenshot({ path: path.join(artifacts, 'report-courtship-outputs.png'), fullPage: false });
}

const reports = [
  { name: 'run', minCharts: 1 + 6 + 3 + 1, expect: ['labels-over-time', 'trajectory-cambodia', 'power-china', 'utility-terms'] },
  { name: 'grid', minCharts: 1 + 2 * 2, expect: ['label-shares', 'phase-cambodia', 'phase-laos', 'mix-cambodia'] },
  { name: 'sobol', minCharts: 1 + 2 + 1, expect: ['label-shares', 'phase-cambodia', 'sobol-cambodia'] },
  { name: 'timeline', minCharts: 1 + 1 + 3 + 1, expect: ['labels-over-time', 'trajectory-cambodia', 'power-usa'], extra: timelineChecks },
  { name: 'courtship', minCharts: 1 + 2 + 2, expect: ['label-shares', 'phase-cambodia', 'output-heatmap-cambodia', 'output-lines-cambodia'], extra: courtshipChecks },
];

const browser = await launchBrowser();
try {
  for (const rep of reports) {
    const html = path.join(work, `${rep.name}.html`);
    await alignsim(['report', path.join(work, rep.name), '-o', html]);
    check(existsSync(html), `${rep.name}: report written`);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    let aborted = 0, fileRequests = 0;
    await context.route('**', (route) => {
      if (route.request().url().startsWith('file:')) {
        fileRequests += 1;
        return route.continue();
      }
      aborted += 1;
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    await page.waitForFunction(() => window.alignsimReport && window.alignsimReport.charts.length > 0, null, { timeout: 20000 });
    await page.waitForTimeout(300);

    const charts = await page.evaluate(() => Array.from(document.querySelectorAll('[data-chart]')).map((el) => {
      const inst = echarts.getInstanceByDom(el);
      const series = inst ? inst.getOption().series : [];
      return {
        id: el.getAttribute('data-chart'),
        canvas: !!el.querySelector('canvas'),
        // How far the drawing sticks out of its card (two-column grids once spilled over).
        overflow: el.querySelector('canvas')
          ? el.querySelector('canvas').getBoundingClientRect().right - el.closest('.card').getBoundingClientRect().right : 0,
        width: el.clientWidth,
        height: el.clientHeight,
        instance: !!inst,
        series: series.length,
        points: series.reduce((n, s) => n + (Array.isArray(s.data) ? s.data.length : 0), 0),
        emptySeries: series.filter((s) => !Array.isArray(s.data) || s.data.length === 0).map((s) => s.name || s.type),
      };
    }));
    check(charts.length >= rep.minCharts, `${rep.name}: ${charts.length} charts (at least ${rep.minCharts})`);
    for (const id of rep.expect) check(charts.some((c) => c.id === id), `${rep.name}: chart ${id} present`);
    for (const c of charts) {
      check(c.instance && c.canvas && c.width > 100 && c.height > 100, `${rep.name}/${c.id}: rendered (${c.width}×${c.height} canvas)`);
      check(c.overflow <= 0, `${rep.name}/${c.id}: drawn inside its card (overflow ${c.overflow.toFixed(0)} px)`);
      check(c.series > 0 && c.points > 0 && c.emptySeries.length === 0,
        `${rep.name}/${c.id}: ${c.series} series, ${c.points} data items, no empty series (${c.emptySeries.join(', ')})`);
    }
    // The data block is the page's only data source and it parses.
    const kind = await page.evaluate(() => JSON.parse(document.getElementById('report-data').textContent).kind);
    check(kind === (['run', 'timeline'].includes(rep.name) ? 'run' : 'sweep'), `${rep.name}: inlined data of kind ${kind}`);
    if (rep.extra) await rep.extra(page);
    // Charts follow the window's size.
    const before = charts[0].width;
    await page.setViewportSize({ width: 800, height: 900 });
    await page.waitForTimeout(400);
    const after = await page.evaluate(() => {
      const el = document.querySelector('[data-chart]');
      return echarts.getInstanceByDom(el).getWidth();
    });
    check(after < before, `${rep.name}: charts resize with the window (${before} → ${after} px)`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(artifacts, `report-${rep.name}.png`), fullPage: true });

    check(aborted === 0, `${rep.name}: no network requests (${aborted} blocked, ${fileRequests} file: requests)`);
    check(errors.length === 0, `${rep.name}: no console errors (${errors.join(' | ')})`);
    await context.close();
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
