/**
 * metadata.managedFields in memory: each manager's field set, keyed by upstream's
 * manager identifier (the entry without its fields and time, as JSON; appliers without
 * their apiVersion so one applier keeps one entry across versions), and the time each
 * entry last changed. Decoding and encoding follow upstream's rules and entry order.
 */
import { FieldSet } from '../fieldpath/set.js';
import { fromFieldsV1, toFieldsV1 } from '../fieldpath/fieldsv1.js';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  /** Owned through an Apply (not an Update). */
  applied: boolean;
}

export interface Managed {
  fields: Map<string, VersionedSet>;
  times: Map<string, string>;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

export class ManagedFieldsError extends Error {}

/** upstream's BuildManagerIdentifier: the entry's identity as JSON in Go's field order. */
export function managerIdentifier(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  const id: Record<string, string> = {};
  if (e.manager) id.manager = e.manager;
  if (e.operation) id.operation = e.operation;
  if (e.apiVersion && e.operation !== 'Apply') id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

export interface IdentifierParts {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly subresource?: string;
}

// Every write encodes every entry, and an object has the same few managers write after
// write: parsed identifiers are remembered (frozen, as they are shared), within bounds
// since manager names come from clients.
const parsedIdentifiers = new Map<string, IdentifierParts>();
const MAX_PARSED_IDENTIFIERS = 1024;
const MAX_PARSED_IDENTIFIER_LENGTH = 512;

/** The parts of an identifier (for messages and encoding). */
export function parseIdentifier(id: string): IdentifierParts {
  let parts = parsedIdentifiers.get(id);
  if (parts === undefined) {
    parts = Object.freeze(identifierParts(id));
    if (id.length <= MAX_PARSED_IDENTIFIER_LENGTH) {
      if (parsedIdentifiers.size >= MAX_PARSED_IDENTIFIERS) parsedIdentifiers.clear();
      parsedIdentifiers.set(id, parts);
    }
  }
  return parts;
}

function identifierParts(id: string): IdentifierParts {
  try {
    const v = JSON.parse(id) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // not an identifier built here: a bare manager name
  }
  return { manager: id };
}

export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ManagedFieldsError(`managed fields entry ${i} is not an object`);
    const e = raw as ManagedFieldsEntry;
    if (e.fieldsType === undefined || e.fieldsType === '') throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier(e);
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : fromFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new ManagedFieldsError(`error decoding set: ${(err as Error).message}`);
    }
    managed.fields.set(id, { set, apiVersion: e.apiVersion ?? '', applied: e.operation === 'Apply' });
    if (typeof e.time === 'string') managed.times.set(id, e.time);
  });
  return managed;
}

/** Entries in upstream's order: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  // Each entry's time in seconds is worked out once, not at every comparison.
  const out: { e: ManagedFieldsEntry; secs: number }[] = [];
  for (const [id, vs] of managed.fields) {
    const parts = parseIdentifier(id);
    const e: ManagedFieldsEntry = {};
    if (parts.manager) e.manager = parts.manager;
    e.operation = vs.applied ? 'Apply' : (parts.operation ?? 'Update');
    if (vs.apiVersion) e.apiVersion = vs.apiVersion;
    const t = managed.times.get(id);
    if (t !== undefined) e.time = t;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(vs.set);
    if (parts.subresource) e.subresource = parts.subresource;
    out.push({ e, secs: t === undefined ? 0 : Math.floor(Date.parse(t) / 1000) });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  out.sort(
    ({ e: p, secs: ps }, { e: q, secs: qs }) =>
      cmp(p.operation ?? '', q.operation ?? '') ||
      ps - qs ||
      cmp(p.manager ?? '', q.manager ?? '') ||
      cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return out.map((x) => x.e);
}

export function cloneManaged(m: Managed): Managed {
  return {
    fields: new Map([...m.fields].map(([k, v]) => [k, { ...v }])),
    times: new Map(m.times),
  };
}
