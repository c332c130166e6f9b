// The OFFICIAL @nangohq/node@0.71.10 against nango-emulator: if it can't tell the emulator from
// Nango, neither can our SDKs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Nango } from '@nangohq/node';
import { startEmulator } from '../support/emulator.mjs';

let emu;
let nango;
let hooks;
let hookServer;
const received = [];
const CONN = 'node-conn';
const PCK = 'zendesk';

before(async () => {
    emu = await startEmulator();
    hookServer = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
            res.writeHead(200).end('ok');
        });
    });
    await new Promise((r) => hookServer.listen(0, '127.0.0.1', r));
    hooks = `http://127.0.0.1:${hookServer.address().port}/webhooks`;
    assert.equal((await emu.admin('PUT', '/_emulator/webhook-url', { url: hooks })).status, 200);
    nango = new Nango({ host: emu.url, secretKey: emu.secret_key, webhookSigningKey: emu.signing_key });
    const created = await emu.admin('POST', '/_emulator/connections', { provider_config_key: PCK, connection_id: CONN });
    assert.equal(created.status, 201);
});

after(async () => {
    await new Promise((r) => hookServer.close(r));
    assert.equal(await emu.stop(), 0);
});

async function allRecords(opts) {
    const out = [];
    let cursor = opts.cursor;
    let pages = 0;
    do {
        const page = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', ...opts, cursor });
        out.push(...page.records);
        cursor = page.next_cursor;
        pages++;
    } while (cursor);
    return { out, pages };
}

test('createConnectSession', async () => {
    const res = await nango.createConnectSession({ end_user: { id: 'user-1', email: 'user@example.com' }, allowed_integrations: [PCK] });
    assert.match(res.data.token, /^nango_connect_session_[0-9a-f]{64}$/);
    assert.ok(res.data.connect_link.includes(res.data.token));
    assert.ok(Date.parse(res.data.expires_at) > Date.now());
});

test('listRecords pages with cursor, then modifiedAfter and a checkpoint cursor', async () => {
    const { out, pages } = await allRecords({ limit: 20 });
    assert.equal(out.length, 50);
    assert.equal(pages, 3);
    assert.equal(new Set(out.map((r) => r.id)).size, 50);
    assert.equal(typeof out[0].id, 'string');
    assert.equal(out[0]._nango_metadata.last_action, 'ADDED');
    const checkpoint = out.at(-1)._nango_metadata.cursor;

    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const m = await emu.admin('POST', '/_emulator/provider/mutate', { integration: PCK, model: 'Ticket', add: 1, update: 2, delete: 1 });
    assert.equal(m.status, 200);
    await nango.triggerSync(PCK, ['tickets'], CONN);

    const since = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', modifiedAfter: before });
    assert.equal(since.records.length, 4);
    const fromCursor = await allRecords({ cursor: checkpoint, limit: 2 });
    assert.deepEqual(fromCursor.out.map((r) => r.id).sort(), since.records.map((r) => r.id).sort());
    const actions = since.records.map((r) => r._nango_metadata.last_action).sort();
    assert.deepEqual(actions, ['ADDED', 'DELETED', 'UPDATED', 'UPDATED']);
    const deleted = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', filter: 'deleted' });
    assert.equal(deleted.records.length, 1);
    const byIds = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', ids: ['1', '2'] });
    assert.deepEqual(byIds.records.map((r) => r.id).sort(), ['1', '2']);
});

test('listRecords surfaces the server errors as axios errors', async () => {
    await assert.rejects(
        nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', cursor: 'garbage' }),
        (err) => err.response.status === 500 && err.response.data.error.code === 'server_error'
    );
    await assert.rejects(
        nango.listRecords({ providerConfigKey: PCK, connectionId: 'nope', model: 'Ticket' }),
        (err) => err.response.status === 400 && err.response.data.error.code === 'unknown_connection'
    );
});

test('triggerAction sync and async', async () => {
    const created = await nango.triggerAction(PCK, CONN, 'create-ticket', { title: 'From node' });
    assert.equal(created.title, 'From node');
    const echoed = await nango.triggerAction(PCK, CONN, 'echo', { a: [1, 2] });
    assert.deepEqual(echoed, { a: [1, 2] });
    const queued = await nango.triggerActionAsync(PCK, CONN, 'echo', { later: true });
    assert.ok(queued.id && queued.statusUrl);
    let result;
    for (let i = 0; i < 100 && result === undefined; i++) {
        try {
            result = await nango.getAsyncActionResult({ id: queued.id });
        } catch (err) {
            assert.equal(err.response.status, 404);
            await new Promise((r) => setTimeout(r, 20));
        }
    }
    assert.deepEqual(result, { later: true });
    const viaUrl = await nango.getAsyncActionResult({ statusUrl: queued.statusUrl });
    assert.deepEqual(viaUrl, { later: true });
    const counters = await emu.admin('GET', '/_emulator/counters');
    assert.equal(counters.body.actions['create-ticket'], 1);
});

test('getConnection and getToken', async () => {
    const conn = await nango.getConnection(PCK, CONN);
    assert.equal(conn.connection_id, CONN);
    assert.equal(conn.provider_config_key, PCK);
    assert.equal(conn.credentials.type, 'OAUTH2');
    const token = await nango.getToken(PCK, CONN);
    assert.equal(typeof token, 'string');
    assert.match(token, /^demo_at_/);
    const refreshed = await nango.getToken(PCK, CONN, true);
    assert.notEqual(refreshed, token);
    const withRefresh = await nango.getConnection(PCK, CONN, false, true);
    assert.match(withRefresh.credentials.refresh_token, /^demo_rt_/);
    const list = await nango.listConnections();
    assert.ok(list.connections.some((c) => c.connection_id === CONN));
});

test('metadata set, update, get', async () => {
    await nango.setMetadata(PCK, CONN, { a: 1, b: 2 });
    assert.deepEqual(await nango.getMetadata(PCK, CONN), { a: 1, b: 2 });
    await nango.updateMetadata(PCK, CONN, { b: 3, c: 4 });
    assert.deepEqual(await nango.getMetadata(PCK, CONN), { a: 1, b: 3, c: 4 });
    await assert.rejects(nango.setMetadata(PCK, 'nope', {}), (err) => err.response.status === 404);
});

test('syncStatus, pause/start and frequency', async () => {
    const status = await nango.syncStatus(PCK, '*', CONN);
    assert.equal(status.syncs.length, 1);
    assert.equal(status.syncs[0].name, 'tickets');
    assert.equal(status.syncs[0].status, 'SUCCESS');
    assert.ok(status.syncs[0].latestResult.Ticket);
    await nango.pauseSync(PCK, ['tickets'], CONN);
    assert.equal((await nango.syncStatus(PCK, ['tickets'], CONN)).syncs[0].status, 'PAUSED');
    await nango.startSync(PCK, ['tickets'], CONN);
    assert.equal((await nango.syncStatus(PCK, ['tickets'], CONN)).syncs[0].status, 'SUCCESS');
    const freq = await nango.updateSyncConnectionFrequency(PCK, 'tickets', CONN, 'every 1h');
    assert.deepEqual(freq, { frequency: 'every 1h' });
});

test('proxy forwards headers and returns the upstream response', async () => {
    const res = await nango.get({ endpoint: '/echo/hello', providerConfigKey: PCK, connectionId: CONN, headers: { 'X-Test': 'yes' }, params: { q: '1' } });
    assert.equal(res.status, 200);
    assert.equal(res.data.path, '/echo/hello');
    assert.equal(res.data.query, 'q=1');
    assert.equal(res.data.headers['x-test'], 'yes');
    assert.match(res.data.headers.authorization, /^Bearer demo_at_/);
    const posted = await nango.post({ endpoint: '/records/Ticket', providerConfigKey: PCK, connectionId: CONN, data: { title: 'proxied' } });
    assert.equal(posted.status, 201);
    assert.equal(posted.data.title, 'proxied');
    await assert.rejects(nango.get({ endpoint: '/status/404', providerConfigKey: PCK, connectionId: CONN }), (err) => err.response.status === 404);
    const retried = await (async () => {
        await emu.admin('POST', '/_emulator/faults', { path: `/_provider/${PCK}/api/echo`, count: 1, kind: 'status', status: 503 });
        return nango.get({ endpoint: '/echo/again', providerConfigKey: PCK, connectionId: CONN, retries: 2 });
    })();
    assert.equal(retried.status, 200);
});

test('verifyIncomingWebhookRequest accepts what the emulator sent', async () => {
    for (let i = 0; i < 200 && received.filter((r) => JSON.parse(r.raw).type === 'sync').length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
    }
    const types = new Set(received.map((r) => JSON.parse(r.raw).type));
    assert.ok(types.has('auth') && types.has('sync'), [...types].join(','));
    for (const hook of received) {
        assert.equal(nango.verifyIncomingWebhookRequest(hook.raw, hook.headers), true);
        // The emulator's bytes are what JSON.stringify would produce for the parsed payload.
        assert.equal(JSON.stringify(JSON.parse(hook.raw)), hook.raw);
        assert.equal(nango.verifyIncomingWebhookRequest(hook.raw.replace('"nango"', '"evil"'), hook.headers), false);
    }
    const other = new Nango({ host: emu.url, secretKey: emu.secret_key, webhookSigningKey: 'wrong-key' });
    assert.equal(other.verifyIncomingWebhookRequest(received[0].raw, received[0].headers), false);
});

test('integrations, providers, scripts config, environment variables', async () => {
    const list = await nango.listIntegrations();
    assert.deepEqual(list.configs.map((c) => c.unique_key), ['zendesk', 'demo-api-key', 'demo-basic', 'demo-unauthenticated']);
    const one = await nango.getIntegration({ uniqueKey: PCK }, { include: ['webhook'] });
    assert.equal(one.data.provider, 'zendesk');
    const providers = await nango.listProviders({ search: 'zen' });
    assert.equal(providers.data.length, 1);
    const provider = await nango.getProvider({ provider: 'zendesk' });
    assert.equal(provider.data.name, 'zendesk');
    const scripts = await nango.getScriptsConfig();
    assert.equal(scripts[0].providerConfigKey, PCK);
    assert.deepEqual(await nango.getEnvironmentVariables(), []);
});

test('pruneRecords, legacy triggerSync, reconnect session, deleteConnection', async () => {
    const first = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 3 });
    const pruned = await nango.pruneRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', untilCursor: first.next_cursor, limit: 10 });
    assert.deepEqual(pruned, { count: 3, has_more: false });
    const again = await nango.listRecords({ providerConfigKey: PCK, connectionId: CONN, model: 'Ticket', limit: 3 });
    assert.ok(again.records.every((r) => r._nango_metadata.pruned_at !== null && r.title === undefined));

    const res = await nango.triggerSync(PCK, ['tickets'], CONN, true);
    assert.equal(res.status, 200);
    const reconnect = await nango.createReconnectSession({ connection_id: CONN, integration_id: PCK });
    assert.match(reconnect.data.token, /^nango_connect_session_/);

    const extra = await emu.admin('POST', '/_emulator/connections', { provider_config_key: PCK, connection_id: 'to-delete' });
    assert.equal(extra.status, 201);
    const del = await nango.deleteConnection(PCK, 'to-delete');
    assert.equal(del.status, 200);
    assert.deepEqual(del.data, { success: true });
    await assert.rejects(nango.deleteConnection(PCK, 'to-delete'), (err) => err.response.status === 400 && err.response.data.error.code === 'unknown_connection');
});
