// Shared fixtures of the browser suites: the emulator binary (started per suite, stopped by PID),
// a static server for the package on 127.0.0.1, and headless Debian Chromium via playwright-core.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { spawnEmulator, stopChild } from '../../../emulator/npm/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const packageRoot = resolve(here, '../..');
const repoRoot = resolve(packageRoot, '..');

export const emulatorBin =
  process.env.NANGO_EMULATOR_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(repoRoot, 'target'), 'x86_64-unknown-linux-gnu/debug/nango-emulator');

/** Starts the emulator on a free port; resolves with its ready line plus `stop()`. */
export async function startEmulator() {
  const { child, ready } = await spawnEmulator(emulatorBin, ['--port', '0'], { stderr: 'inherit' });
  return { ...ready, stop: () => stopChild(child) };
}

/** `POST /connect/sessions` with the emulator's secret key: a token for the browser. */
export async function connectSession(emulator, body = {}) {
  const response = await fetch(`${emulator.url}/connect/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emulator.secret_key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ end_user: { id: 'user-1' }, ...body }),
  });
  if (response.status !== 201) throw new Error(`connect session: ${response.status} ${await response.text()}`);
  return (await response.json()).data.token;
}

/** What the backend sees: `GET /connections/:id` with the secret key. */
export async function backendConnection(emulator, providerConfigKey, connectionId) {
  const url = `${emulator.url}/connections/${encodeURIComponent(connectionId)}?provider_config_key=${providerConfigKey}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${emulator.secret_key}` } });
  return { status: response.status, body: await response.json() };
}

const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

/** Serves the package root (index.js, pkg/) and tests/browser/page.html on 127.0.0.1. */
export async function startPageServer() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = path === '/' ? join(here, 'page.html') : normalize(join(packageRoot, path));
    if (!file.startsWith(packageRoot)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Headless Debian Chromium; the popup blocker stays on so that blocked popups can be tested. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run',
    ],
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  });
}

/** What every test file shares: the emulator, the page server and Chromium, started together. */
export async function startAll() {
  const [emulator, pages, browser] = await Promise.all([startEmulator(), startPageServer(), launchBrowser()]);
  return { emulator, pages, browser };
}

/** Stops what `startAll` started (any part may be missing if starting failed). */
export async function stopAll({ emulator, pages, browser }) {
  await browser?.close();
  await pages?.close();
  await emulator?.stop();
}

/** A fresh page on the test page, with the package imported (`window.Nango`, `window.AuthError`). */
export async function openPage(browser, pageServer, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(pageServer.url + '/');
  await page.waitForFunction(() => window.loaded === true);
  return { context, page };
}

/**
 * Clicks the page's button, whose handler runs `window.action()` (set by the test) inside the
 * click; resolves with the popup when `expectPopup`.
 */
export async function clickGo(page, { expectPopup = true } = {}) {
  const popup = expectPopup ? page.waitForEvent('popup') : null;
  await page.click('#go');
  return popup ? await popup : null;
}

/** The settled outcome of the last action: `{ok}` or `{err: {type, message, isAuthError}}`. */
export function outcome(page) {
  return page.evaluate(() => window.result);
}
