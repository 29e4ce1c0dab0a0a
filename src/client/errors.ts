/**
 * Errors as the client sees them. Anything the server answers with a non-2xx code
 * becomes a StatusError (apimachinery/errors.ts) carrying the server's code, reason,
 * message and details, so callers branch on reason exactly as client-go callers do
 * with apierrors.IsNotFound & co. A failure to talk to the server at all (refused,
 * reset, timed out, bad TLS) is a TransportError instead: no server said anything.
 */
import { StatusError, type Status, type StatusDetails, type StatusReason } from '../apimachinery/errors.js';

export { StatusError };

export type TransportErrorCode = 'ECONNREFUSED' | 'ECONNRESET' | 'ETIMEDOUT' | 'ECLOSED' | 'EABORTED' | 'ETLS' | 'EOTHER';

/** The request never got an HTTP answer: connection refused or reset, timeout, TLS failure. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The reason upstream's client gives an error answer that carries no Status body. */
export function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : '';
  }
}

function isStatusObject(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/** A StatusError from a metav1.Status (as sent in an error body or a watch ERROR event). */
export function statusToError(s: Status, httpCode?: number): StatusError {
  const code = typeof s.code === 'number' && s.code !== 0 ? s.code : (httpCode ?? 500);
  const reason = (typeof s.reason === 'string' && s.reason !== '' ? s.reason : reasonForCode(code)) as StatusReason;
  const message = typeof s.message === 'string' && s.message !== '' ? s.message : `the server responded with the status code ${code}`;
  return new StatusError(code, reason, message, s.details as StatusDetails | undefined);
}

/** The error for a non-2xx answer: the body's Status when it has one, else one built from the code. */
export function errorFromResponse(code: number, body: Buffer | string, method: string): StatusError {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isStatusObject(parsed)) return statusToError(parsed, code);
  const reason = reasonForCode(code);
  // Upstream's wording for an answer without a Status (client-go newUnstructuredResponseError).
  const what = code === 404 ? 'the server could not find the requested resource' : `the server responded with the status code ${code} but did not return more information`;
  const details: StatusDetails = { causes: [{ reason: 'UnexpectedServerResponse', message: text.slice(0, 1024) }] };
  return new StatusError(code, reason, `${what} (${method})`, details);
}

function reasonIs(e: unknown, ...reasons: StatusReason[]): boolean {
  return e instanceof StatusError && reasons.includes(e.reason);
}

export const isNotFound = (e: unknown): boolean => reasonIs(e, 'NotFound');
export const isAlreadyExists = (e: unknown): boolean => reasonIs(e, 'AlreadyExists');
export const isConflict = (e: unknown): boolean => reasonIs(e, 'Conflict');
export const isInvalid = (e: unknown): boolean => reasonIs(e, 'Invalid');
export const isForbidden = (e: unknown): boolean => reasonIs(e, 'Forbidden');
export const isUnauthorized = (e: unknown): boolean => reasonIs(e, 'Unauthorized');
export const isTooManyRequests = (e: unknown): boolean => reasonIs(e, 'TooManyRequests') || (e instanceof StatusError && e.code === 429);
/** 410: Expired (a compacted resourceVersion, upstream's usual answer) or Gone. */
export const isResourceExpired = (e: unknown): boolean => reasonIs(e, 'Expired', 'Gone') || (e instanceof StatusError && e.code === 410);
export const isTimeout = (e: unknown): boolean =>
  reasonIs(e, 'Timeout') || (e instanceof TransportError && e.code === 'ETIMEDOUT');
/** Connection refused or reset: the server is not there (yet), worth a retry without relisting. */
export const isConnectionError = (e: unknown): boolean =>
  e instanceof TransportError && (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'ECLOSED');

/** Whether e is a StatusError whose details carry a cause with this reason (apierrors.HasStatusCause). */
export function hasStatusCause(e: unknown, reason: string): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === reason);
}

/** The cause the API server puts on a create refused in a terminating namespace (corev1.NamespaceTerminatingCause). */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';
