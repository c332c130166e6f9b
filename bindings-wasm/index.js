// @nango-rs/frontend — the part that loads up front.
//
// Browsers only allow a popup opened synchronously inside the user's click (Safari is the
// strictest), so `auth()` opens the window first and only then loads the wasm core, which runs
// the flow in the window it is handed. Everything about the protocol (URLs, queries, routes,
// which messages count, when to give up) is in the wasm core; this file is glue.

/** The error every failed call rejects with; `type` is the official package's error type. */
export class AuthError extends Error {
  constructor(message, type) {
    super(message);
    this.name = 'AuthError';
    this.type = type;
  }
}

let core; // the loaded wasm module, once ready
let loading; // its promise
// The calling Nango's aborters of credential requests: set on every call into the core, which
// makes its request (`post` below) synchronously inside that call.
let aborts;

function load() {
  loading ||= import('./pkg/nango_wasm.js').then(
    async (m) => {
      await m.default();
      m.setAuthErrorClass(AuthError);
      // The credential routes' I/O: the core builds the request and maps the answer. `ms` is the
      // caller's valid `timeoutMs` (core read it); it and `clear()` abort the fetch itself.
      m.setPost((url, method, type, body, key, ms) => {
        const c = new AbortController(), mine = aborts, stop = (why, type) => c.abort(new AuthError(why, type));
        const t = ms >= 0 && setTimeout(stop, Math.min(ms, 2 ** 31 - 1), `The authorization did not complete within ${ms} ms.`, 'timeout');
        mine.add(stop);
        return fetch(url, { method, headers: type ? { 'Content-Type': type } : {}, body, signal: c.signal })
          .then((r) => r.text().then((text) => [r.status, text]))
          .then(([status, text]) => m.mapCredentialResponse(key, status, text),
            (e) => c.signal.aborted ? Promise.reject(c.signal.reason) : m.mapCredentialResponse(key, 0, undefined, e))
          .finally(() => { clearTimeout(t); mine.delete(stop); });
      });
      return (core = m);
    },
    (e) => {
      loading = undefined; // let a later call retry
      throw new AuthError('Could not load the Nango module: ' + e, 'unknown_error');
    },
  );
  return loading;
}

// The same geometry as the core's (a browser test checks both give the same features): only
// needed for the popup of the very first call, opened before the core is loaded.
function features(width, height) {
  const sw = screen.width, sh = screen.height;
  const w = sw ? Math.min(width, sw) : width, h = sh ? Math.min(height, sh) : height;
  return `left=${Math.max(0, (sw - w) >> 1)},top=${Math.max(0, (sh - h) >> 1)},width=${w},height=${h},` +
    'scrollbars=yes,resizable=yes,status=no,toolbar=no,location=no,copyhistory=no,menubar=no,directories=no';
}

export class Nango {
  #core;
  #aborts = new Set();
  #popup; // the popup of a first call, opened by the loader, until the core has it
  #win; // the last `win` handed out: the same object while the same popup is open

  /**
   * The popup of the `auth()`/`reconnect()` in progress, as `{ modal, close() }` (the official
   * `win.modal` is the window); `null` when none runs. `close()` ends that flow like `clear()`.
   */
  get win() {
    const modal = this.#popup || this.#core?.popup;
    if (!modal) return null;
    if (this.#win?.modal !== modal) {
      this.#win = { modal, close: () => this.win?.modal === modal && this.clear() };
    }
    return this.#win;
  }

  /** @param {import('./index.js').NangoConfig} [config] */
  constructor(config = {}) {
    // A secret key must never reach a browser: refuse it rather than ignore it.
    if ('secretKey' in config || 'secret_key' in config) {
      throw new TypeError('A Nango secret key must never be used in the browser; use a connect session token.');
    }
    this.config = { ...config };
  }

  // This instance's half in the core; the credential requests the call being made starts are
  // this instance's to abort.
  #c() {
    aborts = this.#aborts;
    return (this.#core ||= new core.NangoCore(this.config));
  }

  // Refuses up front what the official package cannot use either: a key that is not a non-empty
  // string (strings cross into the wasm as UTF-8 copies; `''` would open a popup on a 404 page),
  // and credentials JSON cannot write (cycles, BigInt: JSON.stringify's TypeError, as
  // officially). Then runs `fn` on the core now if it is loaded (so that it opens the popup
  // inside the click), else once it is; with `popup` set, the popup of this first call is opened
  // here, in the click, when it surely is needed (without a token the core rejects; with
  // credentials it may take a route without a popup), and closed if the core cannot be loaded
  // or the call throws; once the call returns, the core owns it. The core gets `undefined` when
  // nothing was tried, `null` when the browser blocked it.
  #run(key, options, fn, popup) {
    try {
      if (typeof key !== 'string' || !key) throw new TypeError('providerConfigKey must be a non-empty string');
      JSON.stringify(options?.credentials);
      if (core) return fn(this.#c());
    } catch (e) {
      return Promise.reject(e);
    }
    const c = this.config;
    popup &&= options?.credentials || options?.installation || !(c.connectSessionToken || c.publicKey) ? undefined :
      window.open('', '_blank', features(c.width || 500, c.height || 600));
    // `clear()` while the core loads ends this call too.
    let cancelled;
    const stop = (why, type) => (cancelled = new AuthError(why, type));
    const close = (e) => {
      popup?.close();
      throw e;
    };
    const loaded = () => {
      this.#aborts.delete(stop);
      if (this.#popup === popup) this.#popup = undefined;
      if (cancelled) close(cancelled);
    };
    if (popup) this.#popup = popup;
    this.#aborts.add(stop);
    return load().then(() => {
      loaded();
      try {
        return fn(this.#c(), popup);
      } catch (e) {
        close(e);
      }
    }, (e) => {
      loaded();
      close(e);
    });
  }

  auth(providerConfigKey, connectionId, options) {
    return this.#run(providerConfigKey, typeof connectionId === 'string' ? options : connectionId,
      (c, popup) => c.auth(providerConfigKey, connectionId, options, popup), true);
  }

  reconnect(providerConfigKey, options) {
    return this.#run(providerConfigKey, options, (c, popup) => c.reconnect(providerConfigKey, options, popup), true);
  }

  create(providerConfigKey, connectionId, options) {
    return this.#run(providerConfigKey, undefined, (c) => c.create(providerConfigKey, connectionId, options));
  }

  /**
   * Stops the flow in progress (it rejects with `cancelled`) and closes its popup at once;
   * credential requests in flight are aborted (they reject with `cancelled` too).
   */
  clear() {
    this.#core?.clear();
    this.#popup?.close();
    this.#popup = undefined;
    for (const stop of this.#aborts) stop('The authorization was cancelled.', 'cancelled');
  }

  openConnectUI(props = {}) {
    const ui = new ConnectUI(props, this.config);
    ui.open();
    return ui;
  }
}

/**
 * Connect UI in a full-page iframe; calls made before the core is loaded run once it is. The
 * second argument is internal: `openConnectUI` passes its `Nango`'s options (whose token is the
 * default `sessionToken`).
 */
export class ConnectUI {
  #ui; // the core's, once made

  constructor(props = {}, nangoConfig) {
    // Made now when the core is loaded: an invalid base URL throws here (`invalid_host_url`).
    const make = () => (this.#ui = new core.ConnectUICore(props, nangoConfig));
    this.ready = core ? Promise.resolve(make()) : load().then(make);
  }
  get iframe() {
    return this.#ui?.iframe ?? null;
  }
  #on(f) {
    this.#ui ? f(this.#ui) : this.ready.then(f);
  }
  open() {
    this.#on((ui) => ui.open());
  }
  close() {
    this.#on((ui) => ui.close());
  }
  setSessionToken(token) {
    if (typeof token !== 'string') throw new TypeError('sessionToken must be a string');
    this.#on((ui) => ui.setSessionToken(token));
  }
}

export default Nango;
