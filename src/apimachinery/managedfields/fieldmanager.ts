/**
 * The field manager of one resource endpoint (upstream's FieldManager with its default
 * wrappers): keeps metadata.managedFields on every write and performs server-side apply.
 *
 *  - update(): any create/update/patch that is not an apply. The writer (from
 *    ?fieldManager or the User-Agent) gets an `Update` entry for the fields it changed,
 *    merged with what it owned before; the entry's time moves only when it changed
 *    something. Managed fields sent in the request replace the stored ones (that is how
 *    clients edit them); `managedFields: [{}]` clears them. Never fails: managed fields
 *    that cannot be computed are dropped, as upstream does.
 *  - apply(): an `application/apply-patch+yaml` request. Conflicts are a 409 naming each
 *    field and manager; `force` takes the fields over. The applier named "kubectl" may
 *    take over fields it had applied client-side (last-applied annotation) without a
 *    conflict, and keeps that annotation in step when the object has one.
 *
 * Metadata the server owns (name, uid, resourceVersion, ...) is never tracked; at most
 * ten Update entries are kept, the oldest merged into "ancient-changes".
 */
import { errors, StatusError, type StatusCause } from '../errors.js';
import { canonicalJSON, fieldElement, pathString } from '../fieldpath/element.js';
import { dropNulls } from '../json.js';
import { isObject, withoutManagedFields } from '../meta.js';
import { rfc3339 } from '../../util/clock.js';
import { FieldSet } from '../fieldpath/set.js';
import { compare, MergeError } from '../typed/merge.js';
import type { TypeRef } from '../typed/schema.js';
import { toFieldSet } from '../typed/tofieldset.js';
import { formatTypeErrors, validateTyped } from '../typed/validate.js';
import {
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  managerIdentifier,
  parseIdentifier,
  type Managed,
  type ManagedFieldsEntry,
} from './managed.js';
import { ConflictsError, Updater, type Conflict } from './updater.js';

type Obj = Record<string, any> & { metadata?: Record<string, any> };

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/** Paths the server sets itself; no manager owns them. */
const STRIPPED = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
    fieldElement('metadata'),
    fieldElement(f),
  ]),
);

export interface FieldManagerOptions {
  /** The type of the endpoint's objects. */
  type: TypeRef;
  group: string;
  version: string;
  kind: string;
  /** '' for the main resource, else 'status', 'scale', ... */
  subresource: string;
  /** Top-level fields this endpoint resets (status for a main resource with a status subresource). */
  resetFields?: string[];
  /** The empty object a create is compared against (read-only; shared). */
  zero?: () => Obj | undefined;
  now: () => number;
}

// Writes come in bursts within the same second; the text only changes once a second.
let lastSecond = NaN;
let lastText = '';

function entryTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = rfc3339(ms);
    lastSecond = second;
  }
  return lastText;
}

/** Go's %v of a manager identifier in conflict messages (upstream printManager). */
function printManager(id: string): string {
  const e = parseIdentifier(id);
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion ?? ''}`;
  return s;
}

/** upstream's NewConflictError: 409 Conflict, one FieldManagerConflict cause per field. */
export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${printManager(m)}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}

export class FieldManager {
  private readonly updater: Updater;
  private readonly apiVersion: string;

  constructor(private readonly opts: FieldManagerOptions) {
    const ignored = opts.resetFields !== undefined && opts.resetFields.length > 0 ? FieldSet.of(...opts.resetFields.map((f) => [fieldElement(f)])) : undefined;
    this.updater = new Updater(opts.type, ignored);
    this.apiVersion = opts.group === '' ? opts.version : `${opts.group}/${opts.version}`;
  }

  /** The live object an apply that creates starts from: the empty object, named. */
  newObject(name: string, namespace: string | undefined): Obj {
    const z = this.opts.zero?.();
    const o: Obj = z === undefined ? {} : structuredClone(z);
    o.metadata = { ...(o.metadata ?? {}), name, ...(namespace !== undefined ? { namespace } : {}) };
    return o;
  }

  /**
   * Sets next.metadata.managedFields for a non-apply write by `manager`; `live` is the
   * stored object, undefined for a create.
   */
  update(live: Obj | undefined, next: Obj, manager: string): void {
    const meta = (next.metadata ??= {});
    const sent = meta.managedFields as unknown;
    if (Array.isArray(sent) && sent.length === 1 && isEmptyEntry(sent[0])) {
      delete meta.managedFields;
      return;
    }
    try {
      let managed: Managed | undefined;
      if (this.opts.subresource === '') {
        try {
          managed = decodeManagedFields(sent);
        } catch {
          managed = undefined;
        }
      }
      if (managed === undefined || managed.fields.size === 0) {
        try {
          managed = decodeManagedFields(live?.metadata?.managedFields);
        } catch {
          managed = emptyManaged();
        }
      }
      // Both sides as Go would hold them: structs that are not pointers always present,
      // so a controller's first status write does not also own `status` itself.
      const zero = this.opts.zero?.();
      const before = live === undefined ? (zero ?? {}) : fillZero(withoutManagedFields(live), zero);
      const after = fillZero(withoutManagedFields(next), zero);
      const op = 'current-operation';
      this.updater.update(before, after, this.apiVersion, managed.fields, op);
      this.strip(managed, op);
      const vs = managed.fields.get(op);
      if (vs !== undefined) {
        managed.fields.delete(op);
        const id = managerIdentifier({ manager, operation: 'Update', apiVersion: this.apiVersion, subresource: this.opts.subresource });
        const prev = managed.fields.get(id);
        managed.fields.set(id, { set: prev === undefined ? vs.set : vs.set.union(prev.set), apiVersion: vs.apiVersion, applied: false });
        managed.times.set(id, entryTime(this.opts.now()));
      }
      this.cap(managed);
      setManagedFields(next, encodeManagedFields(managed));
    } catch {
      // upstream's UpdateNoErrors: managed fields that cannot be computed are dropped.
      delete meta.managedFields;
    }
  }

  /**
   * Applies `config` by `manager` over `live` (newObject() when the object is being
   * created). Returns the new object with its managed fields; throws 400 for a bad configuration
   * and 409 for conflicts.
   */
  apply(live: Obj, config: Obj, manager: string, force: boolean): Obj {
    const version = typeof config.apiVersion === 'string' ? config.apiVersion : '';
    if (version !== this.apiVersion) {
      throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${version}, expected: ${this.apiVersion}`);
    }
    // Upstream fails later, merging two unrelated types (a 500); the configuration is the
    // client's mistake, so it is a 400 here.
    if (config.kind !== this.opts.kind) {
      throw errors.badRequest(`failed to create typed patch object (${this.describe(config)}): the configuration's kind ${JSON.stringify(config.kind ?? '')} is not ${this.opts.kind}`);
    }
    if (config.metadata?.managedFields !== undefined && config.metadata.managedFields !== null) {
      throw errors.badRequest('metadata.managedFields must be nil');
    }
    const typeErrors = validateTyped(config, this.opts.type);
    if (typeErrors.length > 0) throw errors.badRequest(`failed to create typed patch object (${this.describe(config)}): ${formatTypeErrors(typeErrors)}`);

    let managed: Managed;
    try {
      managed = decodeManagedFields(live.metadata?.managedFields);
    } catch {
      managed = emptyManaged();
    }
    const liveObj = withoutManagedFields(live);
    const id = managerIdentifier({ manager, operation: 'Apply', subresource: this.opts.subresource });
    const run = (forced: boolean): { object: unknown; managed: Managed } => {
      const m: Managed = { fields: new Map([...managed.fields].map(([k, v]) => [k, { ...v }])), times: new Map(managed.times) };
      const r = this.updater.apply(liveObj, config, this.apiVersion, m.fields, id, forced);
      return { object: r.object, managed: m };
    };
    let result: { object: unknown; managed: Managed };
    try {
      try {
        result = run(force);
      } catch (e) {
        if (!(e instanceof ConflictsError) || manager !== 'kubectl') throw e;
        // kubectl taking over what it applied client-side: conflicts on fields whose live
        // value still matches the last-applied configuration are not conflicts.
        const allowed = this.allowedFromLastApplied(liveObj);
        if (allowed === undefined) throw e;
        const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
        if (remaining.length > 0) throw new ConflictsError(remaining);
        result = run(true);
      }
    } catch (e) {
      if (e instanceof ConflictsError) throw conflictError(e.conflicts);
      if (e instanceof MergeError) throw errors.badRequest(`failed to create typed patch object (${this.describe(config)}): ${e.path}: ${e.message}`);
      throw e;
    }
    const m = result.managed;
    this.strip(m, id);
    let out: Obj;
    if (result.object !== undefined) {
      m.times.set(id, entryTime(this.opts.now()));
      // The merged object as the typed round trip leaves it: explicit nulls are gone.
      out = dropNulls(result.object) as Obj;
    } else {
      out = structuredClone(liveObj);
    }
    if (manager === 'kubectl' && typeof live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] === 'string') {
      ((out.metadata ??= {}).annotations ??= {})[LAST_APPLIED_ANNOTATION] = lastAppliedOf(config);
    }
    this.cap(m);
    setManagedFields(out, encodeManagedFields(m));
    return out;
  }

  private describe(config: Obj): string {
    const ns = typeof config.metadata?.namespace === 'string' ? config.metadata.namespace : '';
    const name = typeof config.metadata?.name === 'string' ? config.metadata.name : '';
    return `${ns}/${name}; ${this.opts.group}/${this.opts.version}, Kind=${this.opts.kind}`;
  }

  private strip(managed: Managed, id: string): void {
    const vs = managed.fields.get(id);
    if (vs === undefined) return;
    const set = vs.set.difference(STRIPPED);
    if (set.empty()) managed.fields.delete(id);
    else managed.fields.set(id, { ...vs, set });
  }

  /** Fields of the last-applied configuration whose live values still match it. */
  private allowedFromLastApplied(liveObj: Obj): FieldSet | undefined {
    const text = liveObj.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
    if (typeof text !== 'string' || text === '') return undefined;
    let last: unknown;
    try {
      last = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (last === null || typeof last !== 'object' || (last as Obj).apiVersion !== this.apiVersion) return undefined;
    if (validateTyped(last, this.opts.type).length > 0) return undefined;
    const c = compare(last, liveObj, this.opts.type);
    return toFieldSet(last, this.opts.type).difference(c.modified).difference(c.added).difference(c.removed);
  }

  /** At most ten Update entries: the oldest fold into "ancient-changes" per apiVersion. */
  private cap(managed: Managed): void {
    const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
    if (updaters.length <= MAX_UPDATE_MANAGERS) return;
    const secs = (id: string): number => {
      const t = managed.times.get(id);
      return t === undefined ? 0 : Math.floor(Date.parse(t) / 1000);
    };
    updaters.sort((a, b) => secs(a) - secs(b) || (a < b ? -1 : a > b ? 1 : 0));
    const firstOfVersion = new Map<string, string>();
    let length = updaters.length;
    for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
      const id = updaters[i]!;
      const vs = managed.fields.get(id)!;
      const time = managed.times.get(id);
      const bucket = managerIdentifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: vs.apiVersion });
      const first = firstOfVersion.get(vs.apiVersion);
      if (first === undefined) {
        firstOfVersion.set(vs.apiVersion, id);
        continue;
      }
      if (!managed.fields.has(bucket)) {
        const s = managed.fields.get(first)!;
        managed.fields.delete(first);
        managed.fields.set(bucket, s);
      }
      managed.fields.set(bucket, { set: vs.set.union(managed.fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
      managed.fields.delete(id);
      length--;
      if (time !== undefined) managed.times.set(bucket, time);
    }
  }
}

/**
 * `o` with what `zero` has and `o` lacks, recursively through objects. Read-only: levels
 * that gain nothing are shared with `o`, and zero values are shared with `zero`.
 */
function fillZero(o: Obj, zero: Obj | undefined): Obj {
  if (zero === undefined) return o;
  let out: Obj | undefined;
  for (const k of Object.keys(zero)) {
    const z = zero[k];
    const v = o[k];
    let filled: unknown;
    if (v === undefined) filled = z;
    else if (isObject(z) && isObject(v)) {
      const f = fillZero(v, z);
      if (f !== v) filled = f;
    }
    if (filled !== undefined || (v === undefined && z === null)) (out ??= { ...o })[k] = filled ?? z;
  }
  return out ?? o;
}

function isEmptyEntry(e: unknown): boolean {
  return e !== null && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length === 0;
}

function setManagedFields(o: Obj, entries: ManagedFieldsEntry[] | undefined): void {
  const meta = (o.metadata ??= {});
  if (entries === undefined) delete meta.managedFields;
  else meta.managedFields = entries;
}

/** The configuration as the last-applied annotation holds it: sorted-key JSON and a newline, without itself. */
function lastAppliedOf(config: Obj): string {
  const c = structuredClone(config);
  const ann = c.metadata?.annotations as Record<string, unknown> | undefined;
  if (ann !== undefined) delete ann[LAST_APPLIED_ANNOTATION];
  return `${canonicalJSON(c)}\n`;
}
