// The OAuth popup flow of @nango-rs/frontend in headless Chromium against the emulator: every
// completion channel, and every way the official package can hang, each ending with a result.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import {
  backendConnection, clickGo, connectSession, openPage, outcome, startAll, stopAll,
} from './harness.mjs';

let emulator, pages, browser;

// No test may hang: each has a deadline well above its expected few seconds.
const test = (name, fn) => nodeTest(name, { timeout: 30_000 }, fn);

before(async () => {
  ({ emulator, pages, browser } = await startAll());
});
after(() => stopAll({ emulator, pages, browser }));

/** A page whose button runs `nango.auth(key, ...args)` with a fresh connect session token. */
async function authPage(key, args = [], config = {}, contextOptions = {}) {
  const opened = await openPage(browser, pages, contextOptions);
  const token = await connectSession(emulator);
  await opened.page.evaluate(
    ({ host, token, key, args, config }) => {
      window.nango = new Nango({ host, connectSessionToken: token, ...config });
      window.action = () => window.nango.auth(key, ...args);
    },
    { host: emulator.url, token, key, args, config },
  );
  return opened;
}

/** Routes the page's WebSocket through playwright to the emulator; `onServer` sees its frames. */
async function interceptSocket(page, onServer) {
  const sockets = [];
  await page.routeWebSocket(/.*/, (ws) => {
    const server = ws.connectToServer();
    sockets.push(ws);
    server.onMessage((message) => onServer(message, ws));
  });
  return sockets;
}

const isConsentPage = (popup) => popup.waitForSelector('text=Allow');

/** Resolves once playwright has seen `popup` close (fails the test's deadline otherwise). */
const closedSoon = (popup) => new Promise((ok) => {
  const poll = () => (popup.isClosed() ? ok() : setTimeout(poll, 20));
  poll();
});

/** A new connect session token and `Nango` for the same page (a token serves one flow). */
async function renewNango(page) {
  const token = await connectSession(emulator);
  await page.evaluate((token) => {
    window.nango = new Nango({ host: window.nango.config.host, connectSessionToken: token });
  }, token);
}

describe('popup flow', () => {
  test('consent resolves with the connection, which the backend then sees', async () => {
    const { context, page } = await authPage('zendesk');
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await popup.click('text=Allow');
    const result = await outcome(page);
    assert.equal(result.ok?.providerConfigKey, 'zendesk', JSON.stringify(result));
    assert.equal(typeof result.ok.connectionId, 'string');
    assert.equal(result.ok.isPending, false);
    const seen = await backendConnection(emulator, 'zendesk', result.ok.connectionId);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.connection_id, result.ok.connectionId);
    assert.equal(seen.body.provider_config_key, 'zendesk');
    await context.close();
  });

  test('a second auth() runs with the loaded core, opens the same popup, and resolves', async () => {
    const { context, page } = await authPage('zendesk');
    for (let round = 0; round < 2; round++) {
      if (round === 1) {
        const token = await connectSession(emulator);
        await page.evaluate((token) => {
          window.nango = new Nango({ host: window.nango.config.host, connectSessionToken: token });
        }, token);
      }
      const popup = await clickGo(page);
      await isConsentPage(popup);
      await popup.click('text=Allow');
      const result = await outcome(page);
      assert.equal(result.ok?.providerConfigKey, 'zendesk', JSON.stringify(result));
    }
    // The first popup was opened by the loader before the core loaded, the second by the core.
    const features = await page.evaluate(() => window.openCalls);
    assert.equal(features.length, 2);
    assert.equal(features[0], features[1]);
    assert.match(features[0], /^left=\d+,top=\d+,width=500,height=600,scrollbars=yes,/);
    await context.close();
  });

  test('deny rejects with the provider error', async () => {
    const { context, page } = await authPage('zendesk');
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await popup.click('text=Deny');
    const { err } = await outcome(page);
    assert.equal(err?.isAuthError, true);
    assert.equal(err.type, 'callback_err');
    assert.match(err.message, /access_denied/);
    await context.close();
  });

  test('a popup closed by the user rejects with window_closed', async () => {
    const { context, page } = await authPage('zendesk', [{ detectClosedAuthWindow: true }]);
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await popup.close();
    const { err } = await outcome(page);
    assert.equal(err?.type, 'window_closed');
    assert.equal(err.isAuthError, true);
    await context.close();
  });

  test('a popup blocked by the browser rejects with blocked_by_browser, before and after loading', async () => {
    const { context, page } = await authPage('zendesk');
    // playwright's evaluate() counts as a user gesture: a first window.open consumes that
    // activation, so the package's window.open then has none and Chromium's blocker refuses it.
    for (let round = 0; round < 2; round++) {
      const result = await page.evaluate(() => {
        window.open('about:blank', '_blank', 'width=10,height=10')?.close();
        return window.settle(window.action());
      });
      assert.equal(result.err?.type, 'blocked_by_browser', JSON.stringify(result));
    }
    assert.equal(await page.evaluate(() => window.openCalls.length), 4, 'the package did call window.open');
    await context.close();
  });

  test('a WebSocket dropped before the ack rejects at once with socket_closed', async () => {
    const { context, page } = await authPage('zendesk');
    await page.routeWebSocket(/.*/, (ws) => ws.close({ code: 4000, reason: 'dropped by the test' }));
    await clickGo(page);
    const { err } = await outcome(page);
    assert.equal(err?.type, 'socket_closed');
    await context.close();
  });

  test('a WebSocket dropped mid-flow rejects with socket_closed when the callback never comes', async () => {
    const { context, page } = await authPage('zendesk', [{ socketLostGraceMs: 300 }]);
    await interceptSocket(page, (message, ws) => {
      ws.send(message);
      if (String(message).includes('connection_ack')) setTimeout(() => ws.close({ code: 4000 }), 50);
    });
    const popup = await clickGo(page);
    await isConsentPage(popup);
    const { err } = await outcome(page); // the user never answers
    assert.equal(err?.type, 'socket_closed');
    await context.close();
  });

  test('a WebSocket dropped mid-flow still resolves through the callback page', async () => {
    const { context, page } = await authPage('zendesk');
    await interceptSocket(page, (message, ws) => {
      ws.send(message);
      if (String(message).includes('connection_ack')) setTimeout(() => ws.close({ code: 4000 }), 50);
    });
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await popup.waitForTimeout(200);
    await popup.click('text=Allow');
    const result = await outcome(page);
    assert.deepEqual(result.ok, { providerConfigKey: 'zendesk', connectionId: null });
    await context.close();
  });

  test('completion through postMessage only (the WebSocket success never arrives)', async () => {
    const { context, page } = await authPage('zendesk');
    let swallowed = 0;
    await interceptSocket(page, (message, ws) => {
      if (String(message).includes('"success"')) swallowed++;
      else ws.send(message);
    });
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await popup.click('text=Allow');
    const result = await outcome(page);
    assert.equal(swallowed, 1);
    assert.deepEqual(result.ok, { providerConfigKey: 'zendesk', connectionId: null });
    await context.close();
  });

  test('completion through the BroadcastChannel', async () => {
    const { context, page } = await authPage('zendesk');
    await interceptSocket(page, (message, ws) => {
      if (String(message).includes('connection_ack')) ws.send(message);
    });
    const popup = await clickGo(page);
    await isConsentPage(popup);
    // The emulator's callback page is cross-origin to this page, so its broadcast cannot reach
    // here; a same-origin sender stands in for an app served from the Nango host's origin.
    await page.evaluate(() => new BroadcastChannel('nango-oauth-callback').postMessage({ type: 'nango_oauth_callback_success' }));
    const result = await outcome(page);
    assert.deepEqual(result.ok, { providerConfigKey: 'zendesk', connectionId: null });
    await context.close();
  });

  test('a callback message from a foreign origin is ignored', async () => {
    const { context, page } = await authPage('zendesk');
    const popup = await clickGo(page);
    await isConsentPage(popup);
    // This page's origin is not the host's: both the success and the error must be ignored.
    await page.evaluate(() => {
      window.postMessage({ type: 'nango_oauth_callback_error', payload: { message: 'forged', errorType: 'forged' } }, '*');
      window.postMessage({ type: 'nango_oauth_callback_success' }, '*');
    });
    const early = await page.evaluate(() => Promise.race([window.result, new Promise((ok) => setTimeout(() => ok('pending'), 1500))]));
    assert.equal(early, 'pending');
    await popup.click('text=Allow');
    const result = await outcome(page);
    assert.equal(result.ok?.providerConfigKey, 'zendesk');
    assert.equal(typeof result.ok.connectionId, 'string', 'the WebSocket success, not a forged one');
    await context.close();
  });

  test('the optional overall timeout rejects with timeout', async () => {
    const { context, page } = await authPage('zendesk', [{ timeoutMs: 500 }]);
    const popup = await clickGo(page);
    await isConsentPage(popup);
    const { err } = await outcome(page);
    assert.equal(err?.type, 'timeout');
    await context.close();
  });

  test('nango.win is the popup while the flow runs (the loader\'s, then the core\'s), null before and after', async () => {
    const { context, page } = await authPage('zendesk');
    assert.equal(await page.evaluate(() => window.nango.win), null);
    for (let round = 0; round < 2; round++) {
      if (round === 1) await renewNango(page);
      const popup = await clickGo(page);
      const during = await page.evaluate(() => {
        const win = window.nango.win;
        return { modal: win?.modal === window.lastOpened, stable: win === window.nango.win, close: typeof win?.close };
      });
      assert.deepEqual(during, { modal: true, stable: true, close: 'function' }, `round ${round}`);
      await isConsentPage(popup);
      assert.equal(await page.evaluate(() => window.nango.win?.modal === window.lastOpened), true);
      await popup.click('text=Allow');
      assert.equal((await outcome(page)).ok?.providerConfigKey, 'zendesk', `round ${round}`);
      assert.equal(await page.evaluate(() => window.nango.win), null, `round ${round}`);
    }
    await context.close();
  });

  test('clear() ends a pending auth(): it rejects with cancelled, its popup closes at once, win is null', async () => {
    // The core has loaded and the popup shows the consent page.
    const { context, page } = await authPage('zendesk');
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await page.evaluate(() => window.nango.clear());
    assert.equal((await outcome(page)).err?.type, 'cancelled');
    await closedSoon(popup);
    assert.equal(await page.evaluate(() => window.nango.win), null);
    // A later auth() on the same instance runs normally.
    await renewNango(page);
    const again = await clickGo(page);
    await isConsentPage(again);
    await again.click('text=Allow');
    assert.equal((await outcome(page)).ok?.providerConfigKey, 'zendesk');
    await context.close();
  });

  test('clear() while the module loads (same click as the first auth()) rejects with cancelled and closes the popup', async () => {
    const { context, page } = await authPage('zendesk');
    await page.evaluate(() => {
      window.action = () => {
        const pending = window.nango.auth('zendesk');
        window.nango.clear();
        return pending;
      };
    });
    const popup = await clickGo(page);
    assert.equal((await outcome(page)).err?.type, 'cancelled');
    await closedSoon(popup);
    assert.equal(await page.evaluate(() => window.nango.win), null);
    await context.close();
  });

  test('win.close() ends its own flow like clear(); a stale handle does nothing', async () => {
    const { context, page } = await authPage('zendesk');
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await page.evaluate(() => {
      window.oldWin = window.nango.win;
      window.oldWin.close();
    });
    assert.equal((await outcome(page)).err?.type, 'cancelled');
    await closedSoon(popup);
    await renewNango(page);
    const next = await clickGo(page);
    await isConsentPage(next);
    await page.evaluate(() => window.oldWin.close()); // the previous flow's: no effect on this one
    await next.click('text=Allow');
    assert.equal((await outcome(page)).ok?.providerConfigKey, 'zendesk');
    await context.close();
  });

  test('a new auth() cancels the one in progress', async () => {
    const { context, page } = await authPage('zendesk');
    await clickGo(page);
    const first = page.evaluate(() => window.result);
    await clickGo(page);
    assert.equal((await first).err?.type, 'cancelled');
    await context.close();
  });
});

describe('integrations created through the API', () => {
  test('auth() against an integration made by createQuickstartIntegration resolves; the backend sees the connection', async () => {
    const key = 'zendesk-created';
    const made = await fetch(`${emulator.url}/integrations/quickstart`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.secret_key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ provider: 'zendesk', unique_key: key }),
    });
    assert.equal(made.status, 200, await made.clone().text());
    const { context, page } = await authPage(key);
    const popup = await clickGo(page);
    await isConsentPage(popup);
    await popup.click('text=Allow');
    const result = await outcome(page);
    assert.equal(result.ok?.providerConfigKey, key, JSON.stringify(result));
    const seen = await backendConnection(emulator, key, result.ok.connectionId);
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    assert.equal(seen.body.provider_config_key, key);
    assert.equal(seen.body.provider, 'zendesk');
    await context.close();
  });
});

describe('credential routes and misuse', () => {
  test('API key route: success, then connection_test_failed', async () => {
    const { context, page } = await authPage('demo-api-key', [{ credentials: { apiKey: 'sk-demo-valid' } }]);
    const ok = await page.evaluate(() => window.settle(window.action()));
    assert.equal(ok.ok?.providerConfigKey, 'demo-api-key', JSON.stringify(ok));
    assert.equal(typeof ok.ok.connectionId, 'string');
    assert.equal((await backendConnection(emulator, 'demo-api-key', ok.ok.connectionId)).status, 200);
    const bad = await page.evaluate(() => window.settle(window.nango.auth('demo-api-key', { credentials: { apiKey: 'sk-wrong' } })));
    assert.equal(bad.err?.type, 'connection_test_failed');
    assert.equal(bad.err.isAuthError, true);
    assert.equal(await page.evaluate(() => window.openCalls.length), 0, 'no popup for credential routes');
    await context.close();
  });

  test('basic route: success, then connection_test_failed', async () => {
    const { context, page } = await authPage('demo-basic', ['basic-1', { credentials: { username: 'demo', password: 'demo-password' } }]);
    // With a connect session token the server rejects connection_id, as the real one does.
    const pinned = await page.evaluate(() => window.settle(window.action()));
    assert.equal(pinned.err?.type, 'invalid_query_params', JSON.stringify(pinned));
    const ok = await page.evaluate(() =>
      window.settle(window.nango.auth('demo-basic', { credentials: { username: 'demo', password: 'demo-password' } })),
    );
    assert.equal(ok.ok?.providerConfigKey, 'demo-basic', JSON.stringify(ok));
    const bad = await page.evaluate(() =>
      window.settle(window.nango.auth('demo-basic', { credentials: { username: 'demo', password: 'wrong' } })),
    );
    assert.equal(bad.err?.type, 'connection_test_failed');
    await context.close();
  });

  test('a credential route that cannot be reached rejects with unknown_error', async () => {
    // A loopback port that was just free: nothing listens, so fetch fails without an answer.
    const port = await new Promise((ok) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => ok(port));
      });
    });
    const { context, page } = await openPage(browser, pages);
    const result = await page.evaluate(
      (host) => window.settle(new Nango({ host, publicKey: 'k' }).auth('x', { credentials: { apiKey: 'a' } })),
      `http://127.0.0.1:${port}`,
    );
    assert.equal(result.err?.type, 'unknown_error', JSON.stringify(result));
    assert.match(result.err.message, /^The request to Nango failed/);
    assert.equal(result.err.isAuthError, true);
    await context.close();
  });

  test('no token rejects with missing_auth_token and opens no popup; a secret key is refused', async () => {
    const { context, page } = await openPage(browser, pages);
    const result = await page.evaluate((host) => window.settle(new Nango({ host }).auth('zendesk')), emulator.url);
    assert.equal(result.err?.type, 'missing_auth_token');
    assert.equal(await page.evaluate(() => window.openCalls.length), 0);
    const refused = await page.evaluate(() => {
      try {
        new Nango({ secretKey: 'e5a1c0de-0000-4000-8000-00000000e4a1' });
        return 'accepted';
      } catch (e) {
        return e.constructor.name;
      }
    });
    assert.equal(refused, 'TypeError');
    const badHost = await page.evaluate(() => window.settle(new Nango({ host: 'ftp://x', publicKey: 'k' }).create('x')));
    assert.equal(badHost.err?.type, 'invalid_host_url');
    // A key that is not a string never reaches the wasm (nor opens a popup).
    for (const call of ['auth', 'reconnect', 'create']) {
      const notAString = await page.evaluate((call) => window.settle(new Nango({ connectSessionToken: 't' })[call](42)), call);
      assert.deepEqual(notAString.err, { type: undefined, message: 'providerConfigKey must be a non-empty string', isAuthError: false }, call);
    }
    assert.equal(await page.evaluate(() => window.openCalls.length), 0);
    await context.close();
  });
});
