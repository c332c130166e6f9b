// Bad arguments, hung servers and create() in headless Chromium against the emulator: what the
// browser scenarios (tests/scenarios/browser/) found, each checked where it is fixed: typed
// errors up front, no popup left open, nothing sent to a host the caller did not name, credential
// requests that honour `timeoutMs` and `clear()`, no script from a Connect UI base URL.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { backendConnection, clickGo, connectSession, openPage, startAll, stopAll } from './harness.mjs';

let emulator, pages, browser;
const test = (name, fn) => nodeTest(name, { timeout: 30_000 }, fn);

before(async () => {
  ({ emulator, pages, browser } = await startAll());
});
after(() => stopAll({ emulator, pages, browser }));

async function admin(method, path, body) {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { Authorization: `Bearer ${emulator.secret_key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.status < 300, `${method} ${path}: ${response.status}`);
}

/** A page with `window.nango` (a fresh token) whose every request is recorded in `requests`. */
async function misusePage(config = {}) {
  const opened = await openPage(browser, pages);
  const requests = [];
  opened.page.on('request', (r) => requests.push(r.url()));
  const token = await connectSession(emulator);
  await opened.page.evaluate(({ host, token, config }) => {
    window.nango = new Nango({ host, connectSessionToken: token, ...config });
    window.token = token;
  }, { host: emulator.url, token, config });
  return { ...opened, requests, token };
}

// Settles `src` (evaluated in the page) within `ms`: `{ok}`, `{err}`, or `{pending: true}`.
const settleWithin = (page, src, ms = 5000) =>
  page.evaluate(([src, ms]) => Promise.race([
    window.settle((0, eval)(src)),
    new Promise((ok) => setTimeout(() => ok({ pending: true }), ms)),
  ]), [src, ms]);

const foreign = (requests) => requests.filter((u) => !u.startsWith('http://127.0.0.1:'));

describe('arguments refused up front', () => {
  test('a host of the wrong type is invalid_host_url, and nothing is sent anywhere', async () => {
    const { context, page, requests } = await misusePage();
    await page.evaluate(() => window.settle(nango.auth('demo-api-key', { credentials: { apiKey: 'sk-demo-valid' } })));
    for (const host of ['123', '{ href: "http://127.0.0.1" }', 'true']) {
      for (const call of ["auth('demo-api-key', { credentials: { apiKey: 'k' } })", "create('demo-unauthenticated')", "auth('zendesk')"]) {
        const result = await settleWithin(page, `new Nango({ host: ${host}, connectSessionToken: token }).${call}`);
        assert.equal(result.err?.type, 'invalid_host_url', `host ${host}, ${call}: ${JSON.stringify(result)}`);
      }
    }
    // `host || default`, as officially: falsy hosts mean the default one (not contacted here).
    assert.deepEqual(foreign(requests), []);
    assert.equal(context.pages().length, 1, 'no popup left open');
    await context.close();
  });

  test('keys that are not non-empty strings, and unserialisable credentials, are TypeErrors with no popup, cold and warm', async () => {
    for (const warm of [false, true]) {
      const { context, page, requests } = await misusePage();
      if (warm) await page.evaluate(() => window.settle(nango.create('demo-unauthenticated')));
      const sent = requests.length;
      const calls = [
        'nango.auth(undefined)', 'nango.auth(42)', 'nango.auth({})', 'nango.auth("")', 'nango.reconnect("")',
        'nango.reconnect(42)', 'nango.create(42)', 'nango.create("")',
        'nango.auth("", { credentials: { apiKey: "k" } })',
        '(() => { const c = { apiKey: "sk-demo-valid" }; c.self = c; return nango.auth("demo-api-key", { credentials: c }) })()',
        'nango.auth("demo-api-key", { credentials: { apiKey: 10n } })',
        'nango.auth("demo-api-key", "conn", { credentials: { nested: { deep: [1n] } } })',
        'nango.reconnect("zendesk", { credentials: { apiKey: 10n } })',
      ];
      for (const call of calls) {
        // Run inside a click, as a real caller would: the loader would open its popup there.
        await page.evaluate((call) => { window.action = () => (0, eval)(call); }, call);
        await clickGo(page, { expectPopup: false });
        const result = await page.evaluate(() => window.result);
        assert.equal(result.err?.isAuthError, false, `${call}: ${JSON.stringify(result)}`);
        assert.match(result.err.message, /providerConfigKey|circular|BigInt/i, call);
      }
      assert.equal(await page.evaluate(() => window.openCalls.length), 0, 'no popup was opened');
      const made = requests.slice(sent).filter((u) => /\/(api-auth|auth|oauth)\//.test(u));
      assert.deepEqual(made, [], 'nothing was sent to a credential or OAuth route');
      await context.close();
    }
  });

  test('a first call whose core call throws closes the popup the loader opened', async () => {
    const { context, page } = await misusePage();
    // `params` whose keys cannot be listed: the core's Object.entries throws, after the loader
    // opened the popup in the click.
    await page.evaluate(() => {
      const params = new Proxy({}, { ownKeys() { throw new RangeError('options exploded'); } });
      window.action = () => nango.auth('zendesk', { params });
    });
    await clickGo(page, { expectPopup: false });
    const result = await page.evaluate(() => window.result);
    assert.equal(result.err?.message, 'options exploded', JSON.stringify(result));
    assert.equal(await page.evaluate(() => window.openCalls.length), 1, 'the loader opened its popup');
    for (let i = 0; i < 50 && context.pages().length > 1; i++) await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(context.pages().length, 1, 'the popup was closed');
    await context.close();
  });
});

describe('credential requests end', () => {
  test('timeoutMs aborts a hung credential request (auth and create) with timeout', async () => {
    const { context, page } = await misusePage();
    await admin('POST', '/faults', [
      { method: 'POST', path: '/api-auth/', count: 1, kind: 'delay', ms: 30000 },
      { method: 'POST', path: '/auth/unauthenticated/', count: 1, kind: 'delay', ms: 30000 },
    ]);
    const auth = await settleWithin(page, "nango.auth('demo-api-key', { credentials: { apiKey: 'sk-demo-valid' }, timeoutMs: 300 })");
    assert.equal(auth.err?.type, 'timeout', JSON.stringify(auth));
    assert.equal(auth.err.isAuthError, true);
    assert.match(auth.err.message, /within 300 ms/);
    const create = await settleWithin(page, "nango.create('demo-unauthenticated', { timeoutMs: 300 })");
    assert.equal(create.err?.type, 'timeout', JSON.stringify(create));
    await admin('DELETE', '/faults');
    // The same instance then works, and a generous timeout does not fire.
    const ok = await settleWithin(page, "nango.auth('demo-api-key', { credentials: { apiKey: 'sk-demo-valid' }, timeoutMs: 4294967295 })");
    assert.equal(ok.ok?.providerConfigKey, 'demo-api-key', JSON.stringify(ok));
    await context.close();
  });

  test('clear() aborts a credential request in flight with cancelled', async () => {
    const { context, page } = await misusePage();
    await admin('POST', '/faults', [{ method: 'POST', path: '/api-auth/', count: 1, kind: 'delay', ms: 30000 }]);
    const result = await settleWithin(page, `(() => {
      const p = nango.auth('demo-api-key', { credentials: { apiKey: 'sk-demo-valid' } });
      setTimeout(() => nango.clear(), 200);
      return p;
    })()`);
    assert.equal(result.err?.type, 'cancelled', JSON.stringify(result));
    await admin('DELETE', '/faults');
    await context.close();
  });
});

describe('create()', () => {
  test('creates a connection for an unauthenticated integration, which the backend sees; refuses others', async () => {
    const { context, page } = await misusePage();
    const ok = await settleWithin(page, "nango.create('demo-unauthenticated')");
    assert.equal(ok.ok?.providerConfigKey, 'demo-unauthenticated', JSON.stringify(ok));
    assert.equal(typeof ok.ok.connectionId, 'string');
    assert.equal((await backendConnection(emulator, 'demo-unauthenticated', ok.ok.connectionId)).status, 200);
    const refused = await settleWithin(page, "nango.create('demo-api-key')");
    assert.equal(refused.err?.type, 'invalid_auth_mode', JSON.stringify(refused));
    assert.equal(refused.err.isAuthError, true);
    assert.equal(await page.evaluate(() => window.openCalls.length), 0, 'create() opens no popup');
    await context.close();
  });
});

describe('Connect UI', () => {
  test('a base or API URL that is not http(s) is invalid_host_url: no iframe, no script in the page', async () => {
    const { context, page, requests } = await misusePage();
    // Cold (the core loads for this call): the ConnectUI's `ready` rejects; warm: it throws.
    const cold = await page.evaluate(async () => {
      const ui = nango.openConnectUI({ baseURL: 'javascript:parent.__pwned=1//' });
      ui.ready.catch(() => {});
      return window.settle(ui.ready);
    });
    assert.equal(cold.err?.type, 'invalid_host_url', JSON.stringify(cold));
    for (const props of ["{ baseURL: 'javascript:parent.__pwned=1//' }", "{ baseURL: 'data:text/html,<script>parent.__pwned=1</script>' }", "{ apiURL: 'javascript:parent.__pwned=1' }"]) {
      const warm = await page.evaluate((props) => {
        try {
          nango.openConnectUI((0, eval)(`(${props})`));
          return 'opened';
        } catch (e) {
          return e instanceof AuthError ? e.type : String(e);
        }
      }, props);
      assert.equal(warm, 'invalid_host_url', props);
    }
    await new Promise((ok) => setTimeout(ok, 300));
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran in the page');
    assert.equal(await page.locator('iframe').count(), 0);
    assert.deepEqual(foreign(requests), []);
    // setSessionToken with a non-string is a TypeError, not an error inside the page.
    const threw = await page.evaluate((host) => {
      const ui = nango.openConnectUI({ baseURL: host + '/_connect', apiURL: host });
      try {
        ui.setSessionToken(42);
        return 'accepted';
      } catch (e) {
        return e.constructor.name;
      } finally {
        ui.close();
      }
    }, emulator.url);
    assert.equal(threw, 'TypeError');
    await context.close();
  });
});
