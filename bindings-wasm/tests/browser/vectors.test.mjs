// The shared vectors (tests/vectors/popup_urls.json, popup_messages.json) run through the
// shipped package in headless Chromium: the WebSocket, the popup's navigation and the credential
// requests are intercepted by playwright, so every expectation is checked on what the browser
// really did, not on an internal function.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, openPage, startPageServer } from './harness.mjs';

const vectors = (name) => JSON.parse(readFileSync(new URL(`../../../tests/vectors/${name}.json`, import.meta.url)));
const urls = vectors('popup_urls');
const messages = vectors('popup_messages');
const ACK_ID = '3f1c0a1e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const TOKEN = 'nango_connect_session_' + 'ab'.repeat(32);

let pages, browser, page, context;
const test = (name, fn) => nodeTest(name, { timeout: 60_000 }, fn);
let current = {}; // what the interceptors do for the vector being run, and what they saw

before(async () => {
  [pages, browser] = await Promise.all([startPageServer(), launchBrowser()]);
  ({ context, page } = await openPage(browser, pages));
  await page.routeWebSocket(/.*/, (ws) => {
    current.socketUrl = ws.url();
    current.socket = ws;
    current.onSocket?.(ws);
  });
  await context.route((url) => !url.href.startsWith(pages.url), async (route) => {
    const request = route.request();
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': '*' };
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    if (request.method() === 'POST') {
      current.post = { url: request.url(), body: request.postData(), headers: await request.allHeaders() };
      const reply = current.reply || { status: 200, body: JSON.stringify({ connectionId: 'c-1', providerConfigKey: 'k' }) };
      return route.fulfill({ status: reply.status, headers: cors, body: reply.body });
    }
    current.navigated = request.url();
    current.onNavigate?.();
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>connect</title>' });
  });
});

after(async () => {
  await browser?.close();
  await pages?.close();
});

/** Runs `method(...args)` on `new Nango(config)` in the page; resolves with its outcome. */
function call(config, method, args) {
  return page.evaluate(({ config, method, args }) => window.settle(new Nango(config)[method](...args)), { config, method, args });
}

const until = (predicate) => new Promise((ok) => {
  const poll = () => (predicate() ? ok() : setTimeout(poll, 10));
  poll();
});

const ackOnConnect = () => (ws) => ws.send(JSON.stringify({ message_type: 'connection_ack', ws_client_id: ACK_ID }));

function checkPlan(vector, result, seen) {
  const { expect } = vector;
  if (expect.error) {
    assert.equal(result.err?.type, expect.error, JSON.stringify(result));
  } else if (expect.connectUrl) {
    assert.equal(seen.navigated, new URL(expect.connectUrl).href);
  } else {
    assert.equal(seen.post?.url, new URL(expect.url).href);
    assert.equal(seen.post.headers.authorization, undefined);
    if (expect.body === null) assert.equal(seen.post.body ?? null, null);
    else assert.equal(seen.post.body, JSON.stringify(expect.body));
    assert.equal(seen.post.headers['content-type'] ?? null, expect.body === null ? null : 'application/json');
  }
}

describe('popup_urls.json', () => {
  test('websocket: the URL the browser connects to', async () => {
    for (const v of urls.websocket) {
      const config = { connectSessionToken: TOKEN };
      if (v.host !== null) config.host = v.host;
      if (v.websocketsPath !== null) config.websocketsPath = v.websocketsPath;
      // Closed a moment after it opened (an immediate close can get lost in the interception);
      // the overall timeout guards the test, should it still be.
      current = { onSocket: (ws) => setTimeout(() => ws.close({ code: 4000 }), 20) };
      const result = await call(config, 'auth', ['github', { timeoutMs: 5000 }]);
      if (v.expect.error) assert.equal(result.err?.type, v.expect.error, v.name);
      else assert.equal(current.socketUrl, v.expect.websocketUrl, v.name);
    }
  });

  for (const group of ['auth', 'create', 'reconnect']) {
    test(`${group}: what the browser requests`, async () => {
      for (const v of urls[group]) {
        // The options object is the vector's, except one key of ours that ends the flow at once.
        const options = group === 'create' ? v.options : { ...v.options, socketLostGraceMs: 0, timeoutMs: 5000 };
        const args = group === 'reconnect' ? [v.providerConfigKey, options] : [v.providerConfigKey, v.connectionId, options];
        current = { onSocket: (ws) => ws.send(JSON.stringify({ message_type: 'connection_ack', ws_client_id: v.wsClientId })) };
        current.onNavigate = () => current.socket?.close({ code: 4000 });
        const result = await call(v.config, group, args);
        try {
          checkPlan(v, result, current);
        } catch (e) {
          e.message = `${v.name}: ${e.message}`;
          throw e;
        }
      }
    });
  }

  test('credential_responses: the answer of a credential route', async () => {
    for (const v of urls.credential_responses) {
      current = { reply: { status: v.status, body: v.body } };
      const result = await call({ host: 'http://127.0.0.1:3003', connectSessionToken: TOKEN }, 'auth', [v.providerConfigKey, { credentials: { apiKey: 'k' } }]);
      if (v.expect.error) {
        assert.equal(result.err?.type, v.expect.error, v.name);
        if (v.expect.message) assert.equal(result.err.message, v.expect.message, v.name);
      } else {
        const expected = { providerConfigKey: v.expect.providerConfigKey, connectionId: v.expect.connectionId };
        if (v.expect.isPending !== null) expected.isPending = v.expect.isPending;
        assert.deepEqual(result.ok, expected, v.name);
      }
    }
  });

  test('features: the popup of the first call (opened by the loader) and of later ones (by the core)', async () => {
    for (const v of urls.features) {
      const { context: ctx, page: p } = await openPage(browser, pages, { screen: v.screen, viewport: { width: 400, height: 300 } });
      await p.routeWebSocket(/.*/, (ws) => setTimeout(() => ws.close({ code: 4000 }), 20));
      for (let round = 0; round < 2; round++) {
        await p.evaluate((config) => window.settle(new Nango(config).auth('github', { timeoutMs: 5000 })), {
          host: 'http://127.0.0.1:3003', connectSessionToken: TOKEN, width: v.width, height: v.height,
        });
      }
      assert.deepEqual(await p.evaluate(() => window.openCalls), [v.features, v.features], JSON.stringify(v));
      await ctx.close();
    }
  });
});

/** Starts a popup flow on `host` and waits until the popup was navigated (flow authorizing). */
async function authorizing(host, onSocket = ackOnConnect()) {
  let navigated;
  const flowNavigated = new Promise((ok) => (navigated = ok));
  current = { onSocket, onNavigate: () => navigated() };
  const result = call({ host, connectSessionToken: TOKEN }, 'auth', ['github', { socketLostGraceMs: 0, timeoutMs: 5000 }]);
  return { result, navigated: flowNavigated };
}

function checkCompletion(v, result, { ids = { providerConfigKey: 'github', connectionId: null } } = {}) {
  const { expect } = v;
  if (expect.outcome === 'success') {
    const expected = expect.providerConfigKey ? { providerConfigKey: expect.providerConfigKey, connectionId: expect.connectionId } : { ...ids };
    if (expect.isPending !== undefined && expect.isPending !== null) expected.isPending = expect.isPending;
    assert.deepEqual(result.ok, expected, v.name);
  } else if (expect.outcome === 'error') {
    assert.equal(result.err?.type, expect.type, v.name);
    if (expect.message) assert.equal(result.err.message, expect.message, v.name);
  } else {
    // Ignored: the flow was still waiting when the socket was then dropped.
    assert.equal(result.err?.type, 'socket_closed', `${v.name}: ${JSON.stringify(result)}`);
  }
}

describe('popup_messages.json', () => {
  test('window: message events on the opener (origin-checked by the core)', async () => {
    for (const v of messages.window) {
      const flow = await authorizing(v.host);
      await flow.navigated;
      await page.evaluate(({ origin, data }) => window.dispatchEvent(new MessageEvent('message', { origin, data })), v);
      current.socket.close({ code: 4000 });
      checkCompletion(v, await flow.result);
    }
  });

  test('broadcast: messages on the nango-oauth-callback channel', async () => {
    for (const v of messages.broadcast) {
      const flow = await authorizing('https://api.nango.dev');
      await flow.navigated;
      await page.evaluate((data) => new Promise((ok) => {
        // A second listener on the channel tells when the message has been delivered.
        const probe = new BroadcastChannel('nango-oauth-callback');
        const sender = new BroadcastChannel('nango-oauth-callback');
        probe.onmessage = () => setTimeout(() => (probe.close(), sender.close(), ok()), 0);
        sender.postMessage(data);
      }), v.data);
      current.socket.close({ code: 4000 });
      checkCompletion(v, await flow.result);
    }
  });

  test('socket: WebSocket frames, sent before and after the ack', async () => {
    for (const v of messages.socket) {
      let ackSent = false;
      const flow = await authorizing('https://api.nango.dev', (ws) => {
        ws.send(v.text);
        // A vector that is not an ack is followed by a real one, so that the flow goes on. Sent
        // at once, not after a delay: frames arrive in order, and a timer raced the flow's own
        // handling of an ack vector on a loaded machine.
        if (v.expect.outcome !== 'ack') {
          ackSent = true;
          ws.send(JSON.stringify({ message_type: 'connection_ack', ws_client_id: ACK_ID }));
        }
      });
      const settledEarly = await Promise.race([flow.result.then(() => true), flow.navigated.then(() => false)]);
      if (!settledEarly) {
        if (v.expect.outcome === 'ack') {
          assert.equal(ackSent, false, v.name);
          assert.ok(current.navigated.endsWith(`ws_client_id=${v.expect.wsClientId}`), v.name);
        }
        current.socket.close({ code: 4000 });
      }
      const result = await flow.result;
      if (v.expect.outcome === 'ack') assert.equal(result.err?.type, 'socket_closed', v.name);
      else checkCompletion(v, result);
    }
  });
});
