// openConnectUI() in headless Chromium against the emulator's minimal Connect UI page: the
// origin-checked iframe protocol (ready → session token, connect, close) end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendConnection, connectSession, openPage, startAll, stopAll } from './harness.mjs';

let emulator, pages, browser;

before(async () => {
  ({ emulator, pages, browser } = await startAll());
});
after(() => stopAll({ emulator, pages, browser }));

const eventTypes = (page) => page.evaluate(() => window.events.map((e) => e.type));

test('Connect UI: ready, session token by postMessage, connect, foreign messages ignored, close', { timeout: 60_000 }, async () => {
  const { context, page } = await openPage(browser, pages);
  const token = await connectSession(emulator);
  await page.evaluate(({ host, token }) => {
    window.events = [];
    const nango = new Nango({ host, connectSessionToken: token });
    window.ui = nango.openConnectUI({ baseURL: host + '/_connect', apiURL: host, onEvent: (e) => window.events.push(e) });
  }, { host: emulator.url, token });

  await page.waitForFunction(() => window.events.some((e) => e.type === 'ready'));
  const iframe = page.locator('iframe#connect-ui');
  assert.equal(await iframe.count(), 1);
  const src = await iframe.getAttribute('src');
  assert.ok(src.startsWith(emulator.url + '/_connect/?apiURL='), src);
  assert.ok(!src.includes(token), 'the session token never travels in the URL');
  assert.equal(await page.evaluate(() => document.body.style.overflow), 'hidden');

  // A message from this page's own origin (not Connect UI's) must not reach onEvent.
  await page.evaluate(() => window.postMessage({ type: 'connect', payload: { providerConfigKey: 'forged', connectionId: 'x' } }, '*'));

  // The page only lists integrations once it has received the token by postMessage.
  const frame = page.frameLocator('iframe#connect-ui');
  const button = frame.locator('#list button').filter({ hasText: /zendesk/i });
  await button.waitFor();
  const popupPromise = context.waitForEvent('page');
  await button.click();
  const popup = await popupPromise;
  await popup.waitForSelector('text=Allow');
  await popup.click('text=Allow');
  await page.waitForFunction(() => window.events.some((e) => e.type === 'connect'));
  const connect = await page.evaluate(() => window.events.find((e) => e.type === 'connect'));
  assert.equal(connect.payload.providerConfigKey, 'zendesk');
  assert.equal((await backendConnection(emulator, 'zendesk', connect.payload.connectionId)).status, 200);
  assert.ok(!(await page.evaluate(() => window.events.some((e) => e.payload?.providerConfigKey === 'forged'))));

  await frame.locator('#close').click();
  await page.waitForFunction(() => window.events.some((e) => e.type === 'close'));
  assert.equal(await page.locator('iframe#connect-ui').count(), 0);
  assert.equal(await page.evaluate(() => document.body.style.overflow), '');
  assert.deepEqual(await eventTypes(page), ['ready', 'connect', 'close']);
  await context.close();
});

test('Connect UI: close() and setSessionToken() before the module has loaded', { timeout: 30_000 }, async () => {
  const { context, page } = await openPage(browser, pages);
  const token = await connectSession(emulator);
  await page.evaluate(({ host, token }) => {
    window.events = [];
    const ui = new Nango({ host }).openConnectUI({ baseURL: host + '/_connect/', apiURL: host, onEvent: (e) => window.events.push(e) });
    ui.setSessionToken(token); // no constructor token: this one is delivered on `ready`
    window.ui = ui;
  }, { host: emulator.url, token });
  await page.waitForFunction(() => window.events.some((e) => e.type === 'ready'));
  await page.frameLocator('iframe#connect-ui').locator('#list button').first().waitFor();
  await page.evaluate(() => window.ui.close());
  await page.waitForFunction(() => !document.querySelector('iframe#connect-ui'));
  await context.close();
});

test('new ConnectUI(props) as officially: nothing shown until open(), `iframe` while open, re-opened after the page removed it', { timeout: 30_000 }, async () => {
  const { context, page } = await openPage(browser, pages);
  const token = await connectSession(emulator);
  const seen = await page.evaluate(async ({ host, token }) => {
    window.events = [];
    const ui = new ConnectUI({ sessionToken: token, baseURL: host + '/_connect', apiURL: host, onEvent: (e) => window.events.push(e) });
    window.ui = ui;
    await ui.ready;
    const before = [ui.iframe, document.querySelectorAll('iframe').length];
    ui.open();
    ui.open(); // a no-op while open
    return { before, same: ui.iframe === document.querySelector('iframe#connect-ui'), count: document.querySelectorAll('iframe').length };
  }, { host: emulator.url, token });
  assert.deepEqual(seen, { before: [null, 0], same: true, count: 1 });
  // The constructor's token is delivered on `ready`: the page lists the integrations.
  await page.frameLocator('iframe#connect-ui').locator('#list button').first().waitFor();

  // The page removes the iframe itself: open() adds a new one instead of doing nothing.
  const reopened = await page.evaluate(() => {
    const old = window.ui.iframe;
    old.remove();
    window.ui.open();
    return { fresh: window.ui.iframe !== old && window.ui.iframe.isConnected, count: document.querySelectorAll('iframe').length };
  });
  assert.deepEqual(reopened, { fresh: true, count: 1 });
  await page.frameLocator('iframe#connect-ui').locator('#list button').first().waitFor();
  assert.equal(await page.evaluate(() => { window.ui.close(); return [window.ui.iframe, document.querySelectorAll('iframe').length]; }).then(JSON.stringify), '[null,0]');

  // With the core loaded, the constructor checks the URLs at once, and openConnectUI's
  // result is a ConnectUI whose iframe is there synchronously.
  const warm = await page.evaluate((host) => {
    let type;
    try {
      new ConnectUI({ baseURL: 'javascript:alert(1)//' });
    } catch (e) {
      type = e instanceof AuthError && e.type;
    }
    const ui = new Nango({ host }).openConnectUI({ baseURL: host + '/_connect', apiURL: host });
    const out = { type, isConnectUI: ui instanceof ConnectUI, iframe: ui.iframe?.id ?? null };
    ui.close();
    return out;
  }, emulator.url);
  assert.deepEqual(warm, { type: 'invalid_host_url', isConnectUI: true, iframe: 'connect-ui' });
  await context.close();
});
