// @nango-rs/node, ES module entry: the CommonJS build re-exported (one native addon instance).
import cjs from './nango.js'

export const {
  Nango,
  RecordPager,
  RecordIterator,
  version,
  prodHost,
  getUserAgent,
  SyncConfigType,
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
} = cjs
export default cjs
