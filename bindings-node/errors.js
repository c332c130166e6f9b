'use strict'
// The NangoError class family: the one place where the binding's errors get their JS classes.
// The Rust side (src/errors.rs) describes each error as JSON ({code, message, status, ...}); the
// factory below picks the class from the stable `code`. Branch on `nangoCode` (or `code`) or
// `instanceof`, never on messages.
//
// axios compatibility: a failure axios would also raise (an HTTP error status, a timeout, an
// abort, a network error) carries axios' `code` (`ERR_BAD_REQUEST`, `ERR_BAD_RESPONSE`,
// `ECONNABORTED`, `ERR_CANCELED`, `ERR_NETWORK`; core decides it) and `isAxiosError: true`, so
// code written for the official SDK's axios errors keeps working. Our own code is always
// `nangoCode`; errors axios never raises (bad arguments, undecodable answers, webhooks) keep it
// in `code` too.

class NangoError extends Error {
  constructor(message, info = {}) {
    super(message)
    this.name = 'NangoError'
    /** Stable snake_case code: `rate_limited`, `unknown_connection`, `timeout`, `cancelled`, ... */
    this.nangoCode = info.code ?? 'internal'
    /** axios' code for the same failure (`ERR_BAD_REQUEST`, `ECONNABORTED`, ...), else `nangoCode`. */
    this.code = info.axiosCode ?? this.nangoCode
    /** True when axios raises the same failure: `axios.isAxiosError(err)` holds. */
    this.isAxiosError = info.axiosCode != null
    /** HTTP status when the server answered, else null. */
    this.status = info.status ?? null
    /** The server's own `error.code`, when it sent one. */
    this.serverCode = info.serverCode ?? null
    /** `error.payload` of the server's answer (or its whole non-enveloped JSON body). */
    this.payload = info.payload ?? null
    /** Seconds the server asked to wait (`Retry-After`), else null. */
    this.retryAfter = info.retryAfter ?? null
    /** Validation issues `{code, message, path}` of a 400 answer. */
    this.errors = info.errors ?? []
    /** `METHOD /path` of the failed request. */
    this.request = info.request ?? null
    /** `X-RateLimit-*` headers, when sent. */
    this.rateLimit = info.rateLimit ?? null
  }
}

/** The server answered with a non-2xx status. */
class NangoApiError extends NangoError {
  #response
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoApiError'
    /** The status's reason phrase (`Not Found`), as axios' `statusText`. */
    this.statusText = info.statusText ?? ''
    this.#response = info.response ?? { status: this.status, statusText: this.statusText, data: '', headers: {} }
  }

  /**
   * The answer as `{ status, statusText, data, headers }`, like `err.response` of the axios errors the
   * official SDK throws: `data` is the parsed JSON body (or its text). A getter, so it stays out
   * of `console.log` and `JSON.stringify` of the error.
   */
  get response() {
    return this.#response
  }
}

/** 401/403: the key is wrong, malformed, or lacks the scope. */
class NangoUnauthorizedError extends NangoApiError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoUnauthorizedError'
  }
}

/** 404, an unknown connection or an unknown integration (whatever status the server used). */
class NangoNotFoundError extends NangoApiError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoNotFoundError'
  }
}

/** The server rejected the request's query, headers or body (see `errors`). */
class NangoValidationError extends NangoApiError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoValidationError'
  }
}

/** 429 after the retries: wait `retryAfter` seconds. */
class NangoRateLimitError extends NangoApiError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoRateLimitError'
  }
}

/** 5xx after the retries. */
class NangoServerError extends NangoApiError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoServerError'
  }
}

/** 409: the resource already exists or changed meanwhile. */
class NangoConflictError extends NangoApiError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoConflictError'
  }
}

/** An argument was rejected before anything was sent (`field` names it). */
class NangoArgumentError extends NangoError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoArgumentError'
    this.field = info.field ?? null
  }
}

/** The request did not complete (connection refused or reset; code `tls`: certificate refused). */
class NangoTransportError extends NangoError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoTransportError'
    /** True when the request provably never reached the server. */
    this.notSent = info.notSent ?? false
  }
}

/**
 * The answer could not be decoded (not JSON, cut short, wrong shape). A NangoTransportError
 * subclass, as decode errors were NangoTransportErrors before they had their own class.
 */
class NangoDecodeError extends NangoTransportError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoDecodeError'
  }
}

/** `timeoutMs` (one attempt) or `deadlineMs` (the whole call) passed. */
class NangoTimeoutError extends NangoError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoTimeoutError'
  }
}

/** The call's `AbortSignal` fired. Named `AbortError` like fetch's, so generic checks work. */
class NangoAbortError extends NangoError {
  constructor(message, info) {
    super(message, info)
    this.name = 'AbortError'
  }
}

/** A webhook failed verification. */
class NangoSignatureError extends NangoError {
  constructor(message, info) {
    super(message, info)
    this.name = 'NangoSignatureError'
  }
}

// Every code of core's ErrorCode; tests/vectors/errors.json lists the same table and
// __test__/vectors.test.mjs checks it.
const BY_CODE = {
  invalid_argument: NangoArgumentError,
  unauthorized: NangoUnauthorizedError,
  forbidden: NangoUnauthorizedError,
  not_found: NangoNotFoundError,
  unknown_connection: NangoNotFoundError,
  unknown_integration: NangoNotFoundError,
  validation: NangoValidationError,
  conflict: NangoConflictError,
  rate_limited: NangoRateLimitError,
  server_error: NangoServerError,
  api_error: NangoApiError,
  decode: NangoDecodeError,
  transport: NangoTransportError,
  // The server's TLS certificate was refused: a transport error that is never retried.
  tls: NangoTransportError,
  timeout: NangoTimeoutError,
  cancelled: NangoAbortError,
  invalid_signature: NangoSignatureError,
  internal: NangoError,
  // The popup flow's codes: only the browser package runs it (and rejects with its AuthError).
  missing_auth_token: NangoError,
  popup_blocked: NangoError,
  invalid_host_url: NangoError,
  missing_credentials: NangoError,
  window_closed: NangoError,
  connection_test_failed: NangoError,
  missing_connect_session_token: NangoError,
  connection_validation_failed: NangoError,
  resource_capped: NangoError,
  unknown_error: NangoError,
  socket_closed: NangoError,
  auth_failed: NangoError,
}

/** Builds the error for an `info` object (see NangoErrorInfo in index.d.ts). */
function fromInfo(info) {
  let Class = Object.hasOwn(BY_CODE, info.code) ? BY_CODE[info.code] : null
  // A code this version does not know: still an API error when the server answered.
  if (!Class) Class = info.status != null ? NangoApiError : NangoError
  return new Class(info.message, info)
}

function fromInfoJson(infoJson) {
  return fromInfo(JSON.parse(infoJson))
}

module.exports = {
  NangoError,
  NangoApiError,
  NangoUnauthorizedError,
  NangoNotFoundError,
  NangoValidationError,
  NangoRateLimitError,
  NangoServerError,
  NangoConflictError,
  NangoArgumentError,
  NangoTransportError,
  NangoDecodeError,
  NangoTimeoutError,
  NangoAbortError,
  NangoSignatureError,
  fromInfo,
  fromInfoJson,
}
