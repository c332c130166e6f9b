// Compiled with `tsc --noEmit` only: the public types used the way the docs use them, and
// expected errors (ts-expect-error) for what the types must refuse.
import Nango, { AuthError, ConnectUI, type AuthorizationWindow, type AuthResult, type ConnectUIEvent } from '../../index.js';
import type { NangoCore, ConnectUICore } from '../../pkg/nango_wasm.js';

const nango = new Nango({ host: 'http://127.0.0.1:3003', connectSessionToken: 'nango_connect_session_x' });

async function connect(): Promise<string | null> {
  try {
    const result: AuthResult = await nango.auth('zendesk', { detectClosedAuthWindow: true, timeoutMs: 60_000 });
    await nango.auth('github', 'conn-1', { params: { subdomain: 'acme' }, user_scope: ['read'] });
    await nango.auth('openai', { credentials: { apiKey: 'sk-1' } });
    await nango.reconnect('zendesk');
    await nango.create('public-api');
    await nango.auth('two', 'conn-2', {
      credentials: { type: 'TWO_STEP', client_id: 'c', client_secret: 's' },
      assertionOption: { audience: 'https://aud.example' },
    });
    return result.connectionId;
  } catch (e) {
    if (e instanceof AuthError && (e.type === 'window_closed' || e.type === 'invalid_credentials')) return null;
    throw e;
  }
}

const ui = nango.openConnectUI({
  onEvent: (event: ConnectUIEvent) => {
    if (event.type === 'connect') console.log(event.payload.connectionId.toUpperCase());
  },
});
ui.setSessionToken('nango_connect_session_y');
ui.close();
const own = new ConnectUI({ sessionToken: 'nango_connect_session_z', baseURL: 'https://connect.example' });
own.open();
const frame: HTMLIFrameElement | null = own.iframe;
void frame?.contentWindow;
const win: AuthorizationWindow | null = nango.win;
win?.modal.focus();
win?.close();
// @ts-expect-error `win` is the package's to set
nango.win = null;
nango.clear();
new Nango({ publicKey: '9d8c2b55-4f3a-4c1e-9a8b-1c2d3e4f5a6b' });
new Nango();

// @ts-expect-error a secret key can never be given
new Nango({ secretKey: 'e5a1c0de-0000-4000-8000-00000000e4a1' });
// @ts-expect-error a session token and a public key are exclusive
new Nango({ connectSessionToken: 'a', publicKey: 'b' });

// The generated declarations of the wasm glue are part of the check too.
declare const core: NangoCore;
const pending: Promise<any> = core.auth('k', undefined, undefined, undefined);
declare const connectCore: ConnectUICore;
connectCore.open();
void connect;
void pending;
