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

const reports = [
  { name: 'run', minCharts: 1 + 6 + 3 + 1, expect: ['labels-over-time', 'trajectory-cambodia', 'power-china', 'utility-terms'] },
  { name: 'grid', minCharts: 1 + 2 * 2, expect: ['label-shares', 'phase-cambodia', 'phase-laos', 'mix-cambodia'] },
  { name: 'sobol', minCharts: 1 + 2 + 1, expect: ['label-shares', 'phase-cambodia', 'sobol-cambodia'] },
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
    check(kind === (rep.name === 'run' ? 'run' : 'sweep'), `${rep.name}: inlined data of kind ${kind}`);
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
