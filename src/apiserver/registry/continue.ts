/**
 * The continue token of a paginated list: base64 of JSON holding the revision the
 * first page was read at and the key to resume after, the same shape upstream uses,
 * so a token is opaque to clients but self-contained for the server. A token that
 * does not decode is 400 with upstream's "invalid continue token: continue key is
 * not valid: ..." wording.
 */
import { posix } from 'node:path';
import { errors, type StatusError } from '../../apimachinery/errors.js';
import { JSONSyntaxError, parseJSON } from '../../apimachinery/json.js';

export interface ContinueToken {
  rv: number;
  /** The key, relative to the list prefix, after which to resume. */
  start: string;
  /** Items after start at revision rv, when known (an unfiltered list): the next page's remainingItemCount. */
  rc?: number;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start, ...(t.rc !== undefined ? { rc: t.rc } : {}) })).toString('base64url');
}

function invalid(why: string): StatusError {
  return errors.badRequest(`invalid continue token: continue key is not valid${why === '' ? '' : `: ${why}`}`);
}

/** Go's base64.RawURLEncoding.DecodeString, strict: the alphabet, no padding, no dangling 6 bits. */
function decodeRawURLBase64(s: string): Buffer {
  for (let i = 0; i < s.length; i++) {
    if (!/[A-Za-z0-9_-]/.test(s[i]!)) throw invalid(`illegal base64 data at input byte ${i}`);
  }
  if (s.length % 4 === 1) throw invalid(`illegal base64 data at input byte ${s.length - 1}`);
  return Buffer.from(s, 'base64url');
}

export function decodeContinue(s: string): ContinueToken {
  const data = decodeRawURLBase64(s);
  let parsed: unknown;
  try {
    parsed = parseJSON(data);
  } catch (e) {
    throw invalid(e instanceof JSONSyntaxError ? e.message : String(e));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(`json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type storage.continueToken`);
  }
  const o = parsed as { v?: unknown; rv?: unknown; start?: unknown; rc?: unknown };
  if (o.v !== 'meta.k8s.io/v1') throw invalid(`server does not recognize this encoded version ${typeof o.v === 'string' ? o.v : ''}`);
  if (typeof o.rv !== 'number' || !Number.isInteger(o.rv) || o.rv <= 0) {
    throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof o.start !== 'string' || o.start === '') throw invalid('encoded start key empty (version meta.k8s.io/v1)');
  // Upstream cleans the key and refuses one that changes: no climbing out of the prefix.
  const key = o.start.startsWith('/') ? o.start : `/${o.start}`;
  if (posix.normalize(key) !== key || key.includes('/./') || key.endsWith('/.') || key.endsWith('/') || key.includes('//')) throw invalid(o.start);
  const rc = typeof o.rc === 'number' && Number.isInteger(o.rc) && o.rc >= 0 ? o.rc : undefined;
  return { rv: o.rv, start: key.slice(1), ...(rc !== undefined ? { rc } : {}) };
}
