// Shared set-up of the browser tests: the alignsim binary, a free loopback port, Debian's headless
// chromium through playwright-core, and the artifacts folder (screenshots) under the build tree.
// CTest passes everything through the environment (tests/CMakeLists.txt).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { chromium } from 'playwright-core';

export const binary = process.env.ALIGNSIM_BINARY;
export const sourceDir = process.env.ALIGNSIM_SOURCE_DIR;
export const artifacts = process.env.ALIGNSIM_ARTIFACTS;
if (!binary || !sourceDir || !artifacts) {
  console.error('set ALIGNSIM_BINARY, ALIGNSIM_SOURCE_DIR and ALIGNSIM_ARTIFACTS (CTest does)');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

/** Headless Debian chromium with no network beyond loopback. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs `alignsim ARGS...` and resolves with {code, stdout, stderr}. */
export function runAlignsim(args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd: sourceDir, ...options });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fails the test with a message (exit 1), after printing it. */
export function check(condition, message) {
  if (!condition) {
    console.error(`FAIL: ${message}`);
    process.exitCode = 1;
    throw new Error(message);
  }
  console.log(`ok: ${message}`);
}
