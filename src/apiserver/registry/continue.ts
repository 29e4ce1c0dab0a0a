/**
 * The continue token of a paginated list: base64 of JSON holding the revision the
 * first page was read at and the key to resume after, the same shape upstream uses,
 * so a token is opaque to clients but self-contained for the server.
 */
import { errors } from '../../apimachinery/errors.js';

export interface ContinueToken {
  rv: number;
  /** The key, relative to the list prefix, after which to resume. */
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

export function decodeContinue(s: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw errors.badRequest('invalid continue token: not valid base64-encoded JSON');
  }
  const o = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (o === null || typeof o !== 'object' || o.v !== 'meta.k8s.io/v1') {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof o.rv !== 'number' || !Number.isInteger(o.rv) || o.rv <= 0) {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof o.start !== 'string' || o.start.includes('..') || o.start.startsWith('/')) {
    throw errors.badRequest('continue key is not valid: encoded start key is not valid');
  }
  return { rv: o.rv, start: o.start };
}
