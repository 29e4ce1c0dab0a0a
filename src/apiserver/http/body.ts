/**
 * Reads a request body with upstream's 3 MiB limit, so an oversized body is refused
 * with 413 before it is buffered whole.
 */
import type { IncomingMessage } from 'node:http';
import { errors } from '../../apimachinery/errors.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw errors.tooLarge(`Request entity too large: limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      req.resume();
      throw errors.tooLarge(`Request entity too large: limit is ${limit}`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
