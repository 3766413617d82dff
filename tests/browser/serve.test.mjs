// `alignsim serve` in a real headless Chromium: play the ASEAN scenario, move the maritime-claim
// slider and see Cambodia's strategy change, open the explain panel, measure the frame rate
// while the simulation runs, and switch scenario. Screenshots go to the artifacts folder (and to
// docs/img/ when ALIGNSIM_UPDATE_DOCS_IMAGES=1, for docs/classroom.md).
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { artifacts, binary, check, freePort, launchBrowser, runAlignsim, sourceDir } from './support.mjs';

// What `alignsim run` gives for the same scenario and settings: the label the live view must
// show (the model changes; the test compares the two, never a fixed answer).
async function cliLabel(state, sets = []) {
  const r = await runAlignsim(['run', 'scenarios/asean_2016.yaml', '--json', ...sets.flatMap((x) => ['--set', x])]);
  const out = JSON.parse(r.stdout);
  return out.states.find((s) => s.name === state).label.replace(/_/g, ' ');
}

const CLAIM = "Cambodia's maritime claim against China (dispute intensity)";
const AVERSION = "Cambodia's dependence aversion";

function startServer(port) {
  const child = spawn(binary, ['serve', 'scenarios/asean_2016.yaml', '--port', String(port)],
    { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => process.stdout.write(`[server] ${d}`));
  child.stderr.on('data', (d) => process.stderr.write(`[server] ${d}`));
  return child;
}

async function waitForServer(base, child) {
  for (let k = 0; k < 100; ++k) {
    if (child.exitCode !== null) throw new Error(`alignsim serve exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/scenarios`);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('alignsim serve did not answer within 10 s');
}

async function shot(page, name, docs) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  if (docs && process.env.ALIGNSIM_UPDATE_DOCS_IMAGES === '1') {
    copyFileSync(file, path.join(sourceDir, 'docs', 'img', `${name}.png`));
  }
  console.log(`screenshot: ${file}`);
}

const labelOf = (page, state) => page.locator(`#states tr[data-state="${state}"] td.label`).innerText();
const tickOf = async (page) => Number((await page.locator('#tick').innerText()).replace('tick ', ''));

async function setRange(page, label, value) {
  await page.getByLabel(label, { exact: true }).fill(String(value));
}

async function waitForTick(page, atLeast, timeout = 30000) {
  await page.waitForFunction((n) => Number(document.getElementById('tick').textContent.replace('tick ', '')) >= n,
    atLeast, { timeout });
}

// Frames drawn per second, counted with requestAnimationFrame inside the page over `seconds`
// one-second windows.
async function frameRates(page, seconds) {
  return page.evaluate((n) => new Promise((resolve) => {
    const counts = [];
    let start = null;
    let count = 0;
    function tick(now) {
      if (start === null) start = now;
      if (now - start >= 1000) {
        counts.push(count);
        count = 0;
        start = now;
        if (counts.length === n) return resolve(counts);
      }
      count += 1;
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  }), seconds);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
    // Everything must come from the binary: any other host is a CDN the classroom may not reach.
    const offsite = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base)) return route.continue();
      offsite.push(url);
      return route.abort();
    });

    await page.goto(base);
    await page.locator('#states tr[data-state="cambodia"]').waitFor();
    check(await tickOf(page) === 0, 'a new page starts at tick 0');
    check((await labelOf(page, 'cambodia')).includes('press Play'), 'no strategy is shown before the first tick');
    const options = await page.locator('#scenario option').allTextContents();
    check(options.includes('asean_2016') && options.includes('classroom/aligners') && options.includes('classroom/claimants')
      && options.includes('cambodia_2010_2016') && !options.some((o) => o.startsWith('sweeps')),
      `the scenario picker lists the bundled scenarios, not the sweeps: ${options.join(', ')}`);
    await shot(page, 'classroom-start', false);

    // Play at 60 ticks/s: the run pauses by itself at the scenario's end (tick 150).
    await setRange(page, 'Speed (ticks per second)', 60);
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => Number(document.getElementById('tick').textContent.replace('tick ', '')) > 0);
    const early = await tickOf(page);
    await waitForTick(page, 150);
    await page.waitForFunction(() => document.getElementById('play').textContent.includes('Play'));
    check(await tickOf(page) === 150, `ticks advance and the run pauses at the scenario's end (was ${early}, now 150)`);
    await page.waitForTimeout(400);  // the table redraws on the next animation frame
    for (const state of ['cambodia', 'vietnam', 'philippines']) {
      const expected = await cliLabel(state);
      check((await labelOf(page, state)) === expected, `${state} at tick 150: ${expected}, as alignsim run prints`);
    }
    await shot(page, 'classroom-asean', true);

    // The maritime claim slider, applied from the next tick: Cambodia turns to hedging.
    await setRange(page, CLAIM, 0.5);
    await page.locator('#events li.slider-event').waitFor();
    check((await page.locator('#events li.slider-event').innerText()).includes('0.5'), 'the slider move appears in the event timeline');
    await page.getByRole('button', { name: /Play/ }).click();
    await waitForTick(page, 190);
    await page.getByRole('button', { name: /Pause/ }).click();
    const claimLabel = await labelOf(page, 'cambodia');
    check((await page.locator('#events li.slider-event.done').count()) === 1, `the claim slider's move is applied in the run (Cambodia at tick ${await tickOf(page)}: ${claimLabel})`);
    await shot(page, 'classroom-claim-hedging', true);

    // The explain panel: utility decomposition of Cambodia's current choice.
    await page.getByRole('tab', { name: 'Explain' }).click();
    await page.locator('#explain-terms .term[data-term="total"]').waitFor();
    const terms = await page.locator('#explain-terms .term').evaluateAll((ts) => ts.map((t) => t.dataset.term));
    check(terms.length >= 2 && terms.includes('total'), `the explain panel shows the utility decomposition: ${terms.join(', ')}`);
    const partnerNames = await page.locator('#explain-partner option').allTextContents();
    check(partnerNames.includes('China') && partnerNames.includes('United States') && !partnerNames.includes('Cambodia'),
      `the by-partner parts can be read for every partner, by display name (${partnerNames.join(', ')})`);
    check((await page.locator('#explain-partners tr[data-term]').count()) >= 1, 'the by-partner table lists the parts');
    check((await page.locator('#explain-title').innerText()).includes('Cambodia'), 'the explanation is Cambodia\'s');
    check((await page.locator('#explain-outcome').innerText()).includes(claimLabel), 'the explanation states the current strategy');
    await shot(page, 'classroom-explain', true);
    await page.getByRole('tab', { name: 'Network' }).click();

    // Restart mode: a slider move restarts the run with every slider's value, and gives what
    // `alignsim run --set states.cambodia.dispute.china=0.5 --set states.cambodia.dependence_aversion=1.44` gives.
    await page.getByLabel('restart the run with it').check();
    await setRange(page, AVERSION, 1.44);
    await page.waitForFunction(() => Number(document.getElementById('tick').textContent.replace('tick ', '')) === 0);
    await page.getByRole('button', { name: /Play/ }).click();
    await waitForTick(page, 150);
    await page.waitForTimeout(400);
    const restarted = [await tickOf(page), await labelOf(page, 'cambodia')];
    const cliRestarted = await cliLabel('cambodia', ['states.cambodia.dispute.china=0.5', 'states.cambodia.dependence_aversion=1.44']);
    check(restarted[0] === 150 && restarted[1] === cliRestarted,
      `restarting with the claim at 0.5 (and dependence aversion 1.44) gives ${cliRestarted} at tick 150, as alignsim run --set does (tick ${restarted[0]}: ${restarted[1]})`);

    // Exercise 2 of docs/classroom.md: dependence aversion 2.2 (restart mode) ends soft bandwagoning.
    await page.getByRole('button', { name: /Reset/ }).click();
    await page.waitForFunction(() => Number(document.getElementById('tick').textContent.replace('tick ', '')) === 0);
    await setRange(page, AVERSION, 2.2);
    await page.waitForFunction(() => window.alignsimLive.status.sliders['states.cambodia.dependence_aversion'] === 2.2);
    await page.getByRole('button', { name: /Play/ }).click();
    await waitForTick(page, 150);
    await page.waitForTimeout(400);
    const cliAverse = await cliLabel('cambodia', ['states.cambodia.dependence_aversion=2.2']);
    check((await labelOf(page, 'cambodia')) === cliAverse, `with dependence aversion 2.2 Cambodia is ${cliAverse} at tick 150, as alignsim run --set prints`);
    await shot(page, 'classroom-aversion', true);

    // Frame rate while the simulation runs briskly (60 ticks/s, not stopping at the end).
    await page.getByRole('button', { name: /Reset/ }).click();
    await page.waitForFunction(() => Number(document.getElementById('tick').textContent.replace('tick ', '')) === 0);
    await page.getByLabel('pause at the end').uncheck();
    await page.getByRole('button', { name: /Play/ }).click();
    const before = await tickOf(page);
    const counts = await frameRates(page, 5);
    const after = await tickOf(page);
    const fps = median(counts);
    console.log(`frame rate over 5 one-second windows while simulating at 60 ticks/s: ${counts.join(', ')} (median ${fps} fps); ticks ${before} -> ${after}`);
    check(after - before >= 150, `the simulation advanced during the measurement (${after - before} ticks in ~5 s)`);
    check(fps >= 30, `the page renders at >= 30 fps while simulating (median ${fps} fps)`);
    await page.getByRole('button', { name: /Pause/ }).click();

    // Another scenario from the picker: the Kerry visit in the Cambodia timeline.
    await page.locator('#scenario').selectOption('cambodia_2010_2016.yaml');
    await page.waitForFunction(() => {
      const app = window.alignsimLive;
      return app.info.name === 'cambodia_2010_2016' && app.status && app.status.tick === 0;
    });
    await setRange(page, 'Speed (ticks per second)', 60);
    await page.getByRole('button', { name: /Play/ }).click();
    await waitForTick(page, 120);
    const scheduled = await page.evaluate(() => window.alignsimLive.info.scheduled_events.length);
    await page.waitForFunction((n) => document.querySelectorAll('#events li.done').length === n, scheduled, { timeout: 10000 })
      .catch(() => {});
    const done = await page.locator('#events li.done').allTextContents();
    const all = await page.locator('#events li').count();
    check(all === scheduled && done.length === all && done.some((e) => e.includes('Kerry')), `the timeline marks the scenario's events as they happen: ${done.join(' | ')}`);
    await shot(page, 'classroom-kerry', true);

    // A second tab has its own simulation.
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await other.goto(base);
    await other.locator('#states tr[data-state="cambodia"]').waitFor();
    check(await tickOf(other) === 0 && await tickOf(page) === 120, 'a second tab gets its own simulation');
    await other.close();

    check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
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
