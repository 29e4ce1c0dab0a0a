/**
 * ControllerRevision helpers shared by the DaemonSet and StatefulSet controllers
 * (upstream pkg/controller/history and controller_utils.ComputeHash): the
 * "restore patch" a revision stores, template hashing, naming, ordering and equality.
 *
 * A revision's data is what `kubectl rollout undo` patches back onto the owner:
 *   {"spec":{"template":{..., "$patch":"replace"}}}
 * We write it with sorted keys and Go's HTML escaping, the bytes Go's json.Marshal
 * gives for the same map, so tools comparing bytes see what they would upstream.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { isObject } from '../../apimachinery/meta.js';
import type { Obj } from './types.js';

/** Upstream utilrand's alphabet for encoded hashes. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps each byte of s onto the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** FNV-1a, 32 bit, over the bytes of data. */
export function fnv32a(data: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of data) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** FNV-1 (multiply, then xor), 32 bit. */
export function fnv32(data: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of data) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= b;
  }
  return h >>> 0;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = v[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** JSON with keys sorted at every level and <, >, &, U+2028, U+2029 escaped, as Go's json.Marshal of a map. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(sortKeys(v))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The hash of a pod template plus collision count (controller.ComputeHash's shape: an
 * FNV-1a of the template, the count appended little-endian, printed in decimal and
 * safe-encoded). Our input is the canonical JSON rather than Go's spew dump.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount: number | undefined): string {
  const bytes = Buffer.from(canonicalJSON(template ?? {}), 'utf8');
  let h = fnv32a(bytes);
  if (collisionCount !== undefined && collisionCount !== null) {
    const c = Buffer.alloc(4);
    c.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(c, h);
  }
  return safeEncodeString(String(h));
}

/** history.HashControllerRevision: FNV-1 of the data bytes plus the decimal collision count. */
export function hashRevisionData(dataJSON: string, collisionCount: number | undefined): string {
  let h = fnv32(Buffer.from(dataJSON, 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32(Buffer.from(String(collisionCount), 'utf8'), h);
  return safeEncodeString(String(h));
}

/** "<prefix>-<hash>", the prefix cut to 223 characters (history.ControllerRevisionName). */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** The restore patch of an owner's spec.template (upstream getPatch). */
export function templatePatch(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...(template ?? {}), $patch: 'replace' } } };
}

/** The data object stored in a revision, key-sorted. */
export function revisionData(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return JSON.parse(canonicalJSON(templatePatch(template))) as Record<string, unknown>;
}

/** The pod template a revision restores, or undefined when its data is not a template patch. */
export function templateFromRevision(cr: ControllerRevision): PodTemplateSpec | undefined {
  const data = cr.data as unknown;
  if (!isObject(data)) return undefined;
  const spec = data['spec'];
  if (!isObject(spec)) return undefined;
  const t = spec['template'];
  if (!isObject(t)) return undefined;
  const { $patch: _p, ...rest } = t;
  return structuredClone(rest) as PodTemplateSpec;
}

/** Whether two revisions restore the same state (history.EqualRevision, by data). */
export function equalRevisionData(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJSON(a.data ?? null) === canonicalJSON(b.data ?? null);
}

/** Whether the revision restores exactly template. */
export function revisionMatchesTemplate(cr: ControllerRevision, template: PodTemplateSpec | undefined): boolean {
  return canonicalJSON(cr.data ?? null) === canonicalJSON(templatePatch(template));
}

/** Sorts by revision number, then creation time, then name (history.SortControllerRevisions). */
export function sortRevisions<T extends Obj<ControllerRevision>>(revs: T[]): T[] {
  return revs.sort((a, b) => {
    if ((a.revision ?? 0) !== (b.revision ?? 0)) return (a.revision ?? 0) - (b.revision ?? 0);
    const at = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const bt = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    if (at !== bt) return at - bt;
    return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  });
}

/** One more than the highest revision number (1 for none). */
export function nextRevisionNumber(revs: readonly ControllerRevision[]): number {
  let max = 0;
  for (const r of revs) if ((r.revision ?? 0) > max) max = r.revision ?? 0;
  return max + 1;
}
