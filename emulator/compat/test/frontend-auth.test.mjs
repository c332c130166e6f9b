// The OFFICIAL @nangohq/frontend@0.71.10 `auth()` in headless Chromium against nango-emulator:
// click a button, click Allow in the popup, see the promise resolve, find the connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startEmulator } from '../support/emulator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'node_modules', '@nangohq', 'frontend', 'dist');
const CHROMIUM_ARGS = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'
];

const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<button id="go">Connect</button><pre id="out"></pre>
<script type="module">
import Nango from '/frontend/index.js';
const qs = new URLSearchParams(location.search);
const nango = new Nango({ host: qs.get('host'), connectSessionToken: qs.get('token') });
window.__events = [];
window.create = (key) => nango.create(key).then(
  (r) => ({ result: r }),
  (e) => ({ error: { type: e.type, message: e.message } })
);
window.openUI = () => {
  nango.openConnectUI({
    baseURL: qs.get('host') + '/_connect',
    apiURL: qs.get('host'),
    sessionToken: qs.get('token'),
    onEvent: (ev) => { window.__events.push(ev); }
  });
};
document.getElementById('go').addEventListener('click', () => {
  nango.auth(qs.get('key')).then(
    (r) => { window.__result = r; },
    (e) => { window.__error = { type: e.type, message: e.message }; }
  );
});
window.__loaded = true;
</script></body></html>`;

let emu;
let site;
let siteUrl;
let browser;

before(async () => {
    emu = await startEmulator();
    site = http.createServer((req, res) => {
        const u = new URL(req.url, 'http://x');
        if (u.pathname === '/') {
            res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
            return;
        }
        if (u.pathname.startsWith('/frontend/')) {
            const file = path.join(dist, path.normalize(u.pathname.slice('/frontend/'.length)));
            if (file.startsWith(dist) && fs.existsSync(file)) {
                res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file));
                return;
            }
        }
        res.writeHead(404).end();
    });
    await new Promise((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${site.address().port}`;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
    if (browser) await browser.close();
    await new Promise((r) => site.close(r));
    assert.equal(await emu.stop(), 0);
});

async function sessionToken() {
    const res = await emu.admin('POST', '/connect/sessions', { end_user: { id: 'browser-user' } });
    assert.equal(res.status, 201);
    return res.body.data.token;
}

async function runAuth(decision) {
    const token = await sessionToken();
    const page = await browser.newPage();
    try {
        await page.goto(`${siteUrl}/?host=${encodeURIComponent(emu.url)}&token=${token}&key=zendesk`);
        await page.waitForFunction(() => window.__loaded === true);
        const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#go')]);
        await popup.waitForURL(/\/_provider\/oauth\/authorize/);
        await popup.getByRole('button', { name: decision, exact: true }).click();
        await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 15000 });
        return await page.evaluate(() => ({ result: window.__result, error: window.__error }));
    } finally {
        await page.close();
    }
}

test('auth() resolves after Allow and the connection exists', async () => {
    const { result, error } = await runAuth('Allow');
    assert.equal(error, undefined);
    assert.equal(result.providerConfigKey, 'zendesk');
    assert.equal(result.isPending, false);
    assert.ok(result.connectionId);
    const conn = await emu.admin('GET', `/connections/${encodeURIComponent(result.connectionId)}?provider_config_key=zendesk`);
    assert.equal(conn.status, 200);
    assert.equal(conn.body.end_user.id, 'browser-user');
    assert.equal(conn.body.credentials.type, 'OAUTH2');
});

test('auth() rejects with the server error type after Deny', async () => {
    const { result, error } = await runAuth('Deny');
    assert.equal(result, undefined);
    assert.equal(error.type, 'callback_err');
    assert.match(error.message, /access_denied/);
});

test('openConnectUI: iframe protocol with the emulator\'s Connect UI, popup, Allow, connect event', async () => {
    const token = await sessionToken();
    const page = await browser.newPage();
    try {
        await page.goto(`${siteUrl}/?host=${encodeURIComponent(emu.url)}&token=${token}&key=zendesk`);
        await page.waitForFunction(() => window.__loaded === true);
        await page.evaluate(() => window.openUI());
        await page.waitForFunction(() => window.__events.some((e) => e.type === 'ready'));
        const frame = page.frameLocator('#connect-ui');
        const button = frame.getByRole('button', { name: 'Zendesk (demo)' });
        await button.waitFor();
        const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
        await popup.waitForURL(/\/_provider\/oauth\/authorize/);
        await popup.getByRole('button', { name: 'Allow', exact: true }).click();
        await page.waitForFunction(() => window.__events.some((e) => e.type === 'connect'), null, { timeout: 15000 });
        const events = await page.evaluate(() => window.__events);
        const connect = events.find((e) => e.type === 'connect');
        assert.equal(connect.payload.providerConfigKey, 'zendesk');
        const conn = await emu.admin('GET', `/connections/${encodeURIComponent(connect.payload.connectionId)}?provider_config_key=zendesk`);
        assert.equal(conn.status, 200);
        await frame.getByRole('button', { name: 'Close' }).click();
        await page.waitForFunction(() => window.__events.some((e) => e.type === 'close') && !document.getElementById('connect-ui'));
    } finally {
        await page.close();
    }
});

test('create() connects an unauthenticated integration; other auth modes are refused', async () => {
    const token = await sessionToken();
    const page = await browser.newPage();
    try {
        await page.goto(`${siteUrl}/?host=${encodeURIComponent(emu.url)}&token=${token}&key=demo-unauthenticated`);
        await page.waitForFunction(() => window.__loaded === true);
        const ok = await page.evaluate(() => window.create('demo-unauthenticated'));
        assert.equal(ok.error, undefined);
        assert.equal(ok.result.providerConfigKey, 'demo-unauthenticated');
        const conn = await emu.admin('GET', `/connections/${encodeURIComponent(ok.result.connectionId)}?provider_config_key=demo-unauthenticated`);
        assert.equal(conn.status, 200);
        assert.deepEqual(conn.body.credentials, {});
        assert.equal(conn.body.end_user.id, 'browser-user');
        const refused = await page.evaluate(() => window.create('zendesk'));
        assert.equal(refused.result, undefined);
        assert.equal(refused.error.type, 'invalid_auth_mode');
    } finally {
        await page.close();
    }
});
