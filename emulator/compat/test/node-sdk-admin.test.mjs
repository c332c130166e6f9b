// The OFFICIAL @nangohq/node@0.71.10's integration administration, provider templates, function
// methods, getRawTokenResponse and waitForConnection against nango-emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Nango } from '@nangohq/node';
import { startEmulator } from '../support/emulator.mjs';

let emu;
let nango;

before(async () => {
    emu = await startEmulator();
    nango = new Nango({ host: emu.url, secretKey: emu.secret_key });
});

after(async () => {
    assert.equal(await emu.stop(), 0);
});

const keys = async () => (await nango.listIntegrations()).configs.map((c) => c.unique_key);
const rejectsWith = (promise, status, code) =>
    assert.rejects(promise, (err) => err.response.status === status && err.response.data.error.code === code);

test('createIntegration, createQuickstartIntegration, updateIntegration, deleteIntegration', async () => {
    const created = await nango.createIntegration({
        provider: 'zendesk',
        unique_key: 'zd-admin',
        display_name: 'ZD admin',
        credentials: { type: 'OAUTH2', client_id: 'id', client_secret: 'secret' }
    });
    assert.equal(created.data.unique_key, 'zd-admin');
    assert.equal(created.data.display_name, 'ZD admin');
    assert.ok((await keys()).includes('zd-admin'));
    await rejectsWith(nango.createIntegration({ provider: 'zendesk', unique_key: 'zd-admin' }), 400, 'invalid_body');

    const quick = await nango.createQuickstartIntegration({ provider: 'zendesk', unique_key: 'zd-quick' });
    assert.equal(quick.data.provider, 'zendesk');
    await rejectsWith(nango.createQuickstartIntegration({ provider: 'openai', unique_key: 'oa-quick' }), 400, 'invalid_body');

    const updated = await nango.updateIntegration({ uniqueKey: 'zd-admin' }, { unique_key: 'zd-renamed', forward_webhooks: false });
    assert.equal(updated.data.unique_key, 'zd-renamed');
    assert.equal(updated.data.forward_webhooks, false);
    await rejectsWith(nango.updateIntegration({ uniqueKey: 'zd-admin' }, { display_name: 'x' }), 404, 'not_found');

    const deleted = await nango.deleteIntegration('zd-renamed');
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.data, { success: true });
    assert.ok(!(await keys()).includes('zd-renamed'));
    await rejectsWith(nango.deleteIntegration('zd-renamed'), 404, 'not_found');
});

test('getProviderTemplates', async () => {
    const templates = await nango.getProviderTemplates({ provider: 'zendesk' });
    assert.ok(templates.data.some((f) => f.type === 'sync' && f.name === 'tickets'));
    assert.ok(templates.data.every((f) => f.id === undefined));
    assert.deepEqual(await nango.getProviderTemplates({ provider: 'unknown-provider' }), { data: [] });
});

test('listFunctions, getFunction, getFunctionCode, deleteFunction', async () => {
    const list = await nango.listFunctions({ uniqueKey: 'demo-api-key' });
    assert.deepEqual(list.pagination, { total: 2, page: 0, limit: 20 });
    const page = await nango.listFunctions({ uniqueKey: 'demo-api-key' }, { type: 'action', limit: 1 });
    assert.deepEqual(page.data.map((f) => f.name), ['echo']);
    await rejectsWith(nango.listFunctions({ uniqueKey: 'nope' }), 404, 'not_found');

    const one = await nango.getFunction({ uniqueKey: 'demo-api-key', name: 'documents' });
    assert.equal(one.data.type, 'sync');
    assert.equal(typeof one.data.id, 'number');
    const code = await nango.getFunctionCode({ uniqueKey: 'demo-api-key', name: 'echo' }, { type: 'action' });
    assert.equal(code.type, 'action');
    assert.match(code.code, /echo/);

    assert.deepEqual(await nango.deleteFunction({ uniqueKey: 'demo-api-key', name: 'echo' }, { type: 'action' }), { data: { success: true } });
    await rejectsWith(nango.getFunction({ uniqueKey: 'demo-api-key', name: 'echo' }), 404, 'not_found');
    await rejectsWith(nango.deleteFunction({ uniqueKey: 'demo-api-key', name: 'documents' }, {}), 400, 'invalid_query_params');
});

test('getRawTokenResponse and waitForConnection', async () => {
    const imported = await emu.admin('POST', '/connections', {
        provider_config_key: 'zendesk',
        connection_id: 'raw-conn',
        credentials: { type: 'OAUTH2', access_token: 'at-compat' },
        end_user: { id: 'compat-user' }
    });
    assert.ok(imported.status === 200 || imported.status === 201, String(imported.status));
    const raw = await nango.getRawTokenResponse('zendesk', 'raw-conn');
    assert.equal(raw.access_token, 'at-compat');
    // Found on the first poll, so no wait.
    const found = await nango.waitForConnection('zendesk', 'compat-user');
    assert.equal(found.connection_id, 'raw-conn');
});
