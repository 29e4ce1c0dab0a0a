/**
 * The generic registry: one CRUD + watch pipeline over the revisioned Store for every
 * resource, with per-kind behaviour supplied by a Strategy. It owns the object
 * metadata rules (uid, creationTimestamp, generation, resourceVersion, graceful
 * deletion and finalizers) so that every kind gets them the same way.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { errors, type FieldError, StatusError, successStatus, type Status } from '../../apimachinery/errors.js';
import type { ResourceInfo } from '../../api/types.js';
import { convertTo } from '../../api/conversion.js';
import { type Store, type KeyValue, isStorageError, type WatchEvent, type Watcher } from '../../storage/interface.js';
import type { Clock } from '../../util/clock.js';
import { rfc3339 } from '../../util/clock.js';
import type { KObject, Strategy } from './strategy.js';
import { decodeContinue, encodeContinue, type ContinueToken } from './continue.js';
import { validateObjectMetaUpdate } from '../../apimachinery/validation.js';
import { FieldManagers } from './fieldmanagers.js';
import { generateName, parseResourceVersion } from '../../apimachinery/meta.js';

export interface RegistryOptions {
  store: Store;
  info: ResourceInfo;
  strategy: Strategy;
  clock: Clock;
  /** Validates object metadata (names, labels, ...) for this resource. */
  validateMeta?: (obj: KObject, info: ResourceInfo) => FieldError[];
}

export type Filter = (obj: KObject) => boolean;

export interface ListParams {
  namespace: string;
  filter?: Filter;
  limit?: number;
  continueToken?: string;
  /** '' = latest (consistent), '0' = any, otherwise a revision. */
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Runs after defaults and before validation; may mutate or throw (admission). */
  admit?: (obj: KObject, old: KObject | undefined) => Promise<void> | void;
  /**
   * The field manager of a non-apply write (?fieldManager or the User-Agent's prefix):
   * metadata.managedFields then records what it changed. Writes without one (the
   * server's own bookkeeping: binding, graceful deletion) leave managedFields alone.
   */
  manager?: string;
}

export interface ApplyOptions extends UpdateOptions {
  manager: string;
  force: boolean;
}

export interface UpdateOptions extends WriteOptions {
  subresource?: string;
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchParams {
  namespace: string;
  filter?: Filter;
  /** Deliver events after this revision. */
  afterRevision: number;
}

export type WatchEventKind = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchSink {
  onEvent(type: WatchEventKind, obj: KObject, revision: number): void;
  /** The watch has seen every change up to revision, including ones its filter dropped (for bookmarks). */
  onProgress?(revision: number): void;
  onError(err: StatusError): void;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/**
 * Upstream's NewTooLargeResourceVersionError: 504 Timeout with the ResourceVersionTooLarge
 * cause, which client-go's reflector looks for (IsTooLargeResourceVersion) to retry.
 */
export function tooLargeResourceVersion(rv: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

const MAX_GENERATE_ATTEMPTS = 8;
// Unconditional writes retry until they win, as upstream's GuaranteedUpdate: every round some writer
// succeeds, so this bound only guards against a store that conflicts forever.
const MAX_UPDATE_RETRIES = 1000;

export class Registry {
  readonly info: ResourceInfo;
  readonly strategy: Strategy;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly validateMeta: ((obj: KObject, info: ResourceInfo) => FieldError[]) | undefined;
  private readonly gr: { group: string; resource: string };
  private readonly apiVersion: string;
  private readonly fieldManagers: FieldManagers;

  constructor(opts: RegistryOptions) {
    this.store = opts.store;
    this.info = opts.info;
    this.strategy = opts.strategy;
    this.clock = opts.clock;
    this.validateMeta = opts.validateMeta;
    this.gr = { group: opts.info.group, resource: opts.info.resource };
    this.apiVersion = opts.info.group === '' ? opts.info.version : `${opts.info.group}/${opts.info.version}`;
    this.fieldManagers = new FieldManagers(opts.info, opts.strategy.hasStatus, opts.clock);
  }

  /** '/registry/<res>/' (all namespaces) or '/registry/<res>/<ns>/'. */
  prefix(namespace: string): string {
    const base = `/registry/${this.info.storageResource}/`;
    return this.info.namespaced && namespace !== '' ? `${base}${namespace}/` : base;
  }

  key(namespace: string, name: string): string {
    return this.info.namespaced ? `/registry/${this.info.storageResource}/${namespace}/${name}` : `/registry/${this.info.storageResource}/${name}`;
  }

  decode(kv: KeyValue): KObject {
    let obj = JSON.parse(kv.value) as KObject;
    // Kinds served in several versions share one key; objects are stored in the version
    // that wrote them and converted to the one asked for.
    if (obj.apiVersion !== undefined && obj.apiVersion !== this.apiVersion) obj = convertTo(obj, this.apiVersion);
    obj.metadata ??= {};
    obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }

  private encode(obj: KObject): string {
    const meta = obj.metadata ?? {};
    const { resourceVersion: _rv, ...rest } = meta;
    return JSON.stringify({ ...obj, apiVersion: this.apiVersion, kind: this.info.kind, metadata: rest });
  }

  /** The store's latest revision (what a watch "from now" starts after). */
  async currentRevision(): Promise<number> {
    return this.storeCall(() => this.store.currentRevision());
  }

  async get(namespace: string, name: string, resourceVersion = ''): Promise<KObject> {
    // A GET's resourceVersion is "not older than" (upstream serves it from the watch cache):
    // the latest state, once the store has reached that revision.
    const rev = parseResourceVersion(resourceVersion);
    if (rev > 0) {
      const current = await this.storeCall(() => this.store.currentRevision());
      if (rev > current) throw tooLargeResourceVersion(rev, current);
    }
    const res = await this.storeCall(() => this.store.get(this.key(namespace, name)));
    if (res.kv === undefined) throw errors.notFound(this.gr, name);
    return this.decode(res.kv);
  }

  async list(p: ListParams): Promise<ListResult> {
    const prefix = this.prefix(p.namespace);
    let after: string | undefined;
    let revision = 0;
    let continued: ContinueToken | undefined;
    let exact = false;
    if (p.continueToken !== undefined && p.continueToken !== '') {
      const tok = decodeContinue(p.continueToken);
      continued = tok;
      if (p.resourceVersion !== undefined && p.resourceVersion !== '' && p.resourceVersion !== '0') {
        throw errors.badRequest('specifying resource version is not allowed when using continue');
      }
      revision = tok.rv;
      after = prefix + tok.start;
      const compacted = await this.store.compactedRevision();
      if (revision < compacted) {
        throw errors.gone(CONTINUE_EXPIRED);
      }
    } else if (p.resourceVersion !== undefined && p.resourceVersion !== '' && p.resourceVersion !== '0') {
      const rv = parseResourceVersion(p.resourceVersion);
      const current = await this.store.currentRevision();
      if (p.resourceVersionMatch === 'Exact' || (p.limit !== undefined && p.limit > 0 && p.resourceVersionMatch !== 'NotOlderThan')) {
        if (rv > current) throw tooLargeResourceVersion(rv, current);
        revision = rv;
        exact = true;
      } else if (rv > current) {
        throw tooLargeResourceVersion(rv, current);
      }
    }
    const limit = p.limit !== undefined && p.limit > 0 ? p.limit : 0;
    const items: KObject[] = [];
    let lastKey: string | undefined;
    let more = false;
    // Read in chunks until enough items pass the filter (upstream fills pages the same way).
    const chunk = limit > 0 ? Math.max(limit, 64) : 0;
    for (;;) {
      let res: Awaited<ReturnType<Store['list']>>;
      try {
        res = await this.store.list(prefix, { limit: chunk, ...(after !== undefined ? { after } : {}), ...(revision > 0 ? { revision } : {}) });
      } catch (e) {
        if (isStorageError(e, 'Compacted') && continued !== undefined) throw errors.gone(CONTINUE_EXPIRED);
        if (isStorageError(e, 'Compacted') && exact) throw errors.gone('The resourceVersion for the provided list is too old.');
        throw mapStorageError(e, this.gr, '');
      }
      revision = res.revision;
      let stoppedEarly = false;
      for (let i = 0; i < res.kvs.length; i++) {
        const kv = res.kvs[i]!;
        after = kv.key;
        const obj = this.decode(kv);
        if (p.filter !== undefined && !p.filter(obj)) continue;
        items.push(obj);
        lastKey = kv.key;
        if (limit > 0 && items.length >= limit) {
          more = i < res.kvs.length - 1 || res.more;
          stoppedEarly = true;
          break;
        }
      }
      if (stoppedEarly || !res.more || chunk === 0) break;
    }
    const out: ListResult = { items, resourceVersion: String(revision) };
    if (more && lastKey !== undefined) {
      // remainingItemCount, for unfiltered lists only (upstream's rule): the first page counts
      // what is left when the store has not moved since the read; the count then rides in the
      // token, so later pages report it for the same snapshot.
      let remaining: number | undefined;
      if (p.filter === undefined) {
        if (continued !== undefined) {
          if (continued.rc !== undefined) remaining = continued.rc - items.length;
        } else {
          const total = await this.store.count(prefix);
          if (revision === (await this.store.currentRevision())) remaining = total - items.length;
        }
      }
      out.continueToken = encodeContinue({ rv: revision, start: lastKey.slice(prefix.length), ...(remaining !== undefined ? { rc: remaining } : {}) });
      if (remaining !== undefined && remaining > 0) out.remainingItemCount = remaining;
    }
    return out;
  }

  /** Fills metadata for a new object and runs defaults, admission and validation. */
  private async prepareCreate(namespace: string, obj: KObject, opts: WriteOptions): Promise<void> {
    const meta = (obj.metadata ??= {});
    if (this.info.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (this.strategy.hasStatus && this.info.kind !== 'Namespace' && this.info.kind !== 'Node') {
      // Status is the controllers' to write; a create may not set it (upstream resets it to
      // the empty struct, which Go always writes: clients read `status: {}`, not nothing).
      obj.status = {};
    }
    this.strategy.defaults?.(obj);
    this.strategy.prepareForCreate?.(obj);
    if (opts.manager !== undefined) this.fieldManagers.for('')?.update(undefined, obj, opts.manager);
    await opts.admit?.(obj, undefined);
    this.validate(obj, undefined);
  }

  private validate(obj: KObject, old: KObject | undefined): void {
    const errs: FieldError[] = [];
    if (this.validateMeta !== undefined) {
      if (old === undefined) {
        errs.push(...this.validateMeta(obj, this.info));
      } else {
        // Upstream's ValidateObjectMetaAccessorUpdate: immutable fields, no finalizers added
        // while deleting, then labels/annotations/owners/finalizers as on create. The name
        // itself is not re-validated (it cannot change).
        const nm = { ...obj.metadata, resourceVersion: old.metadata?.resourceVersion };
        errs.push(...validateObjectMetaUpdate(nm, old.metadata ?? {}));
      }
    }
    if (old === undefined) errs.push(...(this.strategy.validate?.(obj) ?? []));
    else errs.push(...(this.strategy.validateUpdate?.(obj, old) ?? this.strategy.validate?.(obj) ?? []));
    if (errs.length > 0) {
      const name = (obj.metadata?.name as string | undefined) ?? (obj.metadata?.generateName as string | undefined) ?? '';
      throw errors.invalid(this.info.group, this.info.kind, name, errs);
    }
  }

  async create(namespace: string, input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const meta = (input.metadata ??= {});
    const generate = (meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '';
    for (let attempt = 0; ; attempt++) {
      const obj = structuredClone(input);
      if (generate) obj.metadata!.name = generateName(meta.generateName as string);
      if (obj.metadata!.name === undefined || obj.metadata!.name === '') {
        throw errors.invalid(this.info.group, this.info.kind, '', [
          { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
        ]);
      }
      await this.prepareCreate(namespace, obj, opts);
      if (opts.dryRun) {
        const existing = await this.store.get(this.key(namespace, obj.metadata!.name as string));
        if (existing.kv !== undefined) throw errors.alreadyExists(this.gr, obj.metadata!.name as string);
        return obj;
      }
      try {
        const res = await this.store.create(this.key(namespace, obj.metadata!.name as string), this.encode(obj));
        return this.decode(res.kv);
      } catch (e) {
        if (isStorageError(e, 'KeyExists')) {
          if (generate && attempt < MAX_GENERATE_ATTEMPTS) continue;
          throw errors.alreadyExists(this.gr, obj.metadata!.name as string);
        }
        throw mapStorageError(e, this.gr, obj.metadata!.name as string);
      }
    }
  }

  /** PUT semantics: replace the object (or its status), honouring resourceVersion preconditions. */
  async update(namespace: string, name: string, input: KObject, opts: UpdateOptions = {}): Promise<{ obj: KObject; created: boolean }> {
    const meta = (input.metadata ??= {});
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    }
    if (this.info.namespaced && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.name = name;
    const wantRV = typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '' ? meta.resourceVersion : undefined;
    this.checkRVSyntax(name, wantRV);
    const hint: { kv?: KeyValue } = {};
    for (let attempt = 0; attempt < MAX_UPDATE_RETRIES; attempt++) {
      const cur = await this.readForWrite(namespace, name, hint);
      if (cur.kv === undefined) {
        if (opts.subresource === undefined && this.strategy.allowCreateOnUpdate) {
          if (wantRV !== undefined) throw errors.notFound(this.gr, name);
          return { obj: await this.create(namespace, input, opts), created: true };
        }
        throw errors.notFound(this.gr, name);
      }
      if (wantRV !== undefined && wantRV !== String(cur.kv.modRevision)) throw errors.staleUpdate(this.gr, name);
      const old = this.decode(cur.kv);
      const next = this.mergeForUpdate(structuredClone(input), old, opts.subresource);
      try {
        return { obj: await this.commitUpdate(namespace, next, old, cur.kv, opts), created: false };
      } catch (e) {
        if (isStorageError(e, 'Conflict') && wantRV === undefined) {
          hint.kv = e.current;
          continue;
        }
        if (isStorageError(e, 'Conflict')) throw errors.staleUpdate(this.gr, name);
        throw e;
      }
    }
    throw errors.staleUpdate(this.gr, name);
  }

  /**
   * Read-modify-write with retries on conflict: mutate receives the current object and
   * returns the desired one (used by PATCH and by graceful deletion).
   */
  async guaranteedUpdate(
    namespace: string,
    name: string,
    mutate: (cur: KObject) => KObject | Promise<KObject>,
    opts: UpdateOptions = {},
  ): Promise<KObject> {
    const hint: { kv?: KeyValue } = {};
    for (let attempt = 0; attempt < MAX_UPDATE_RETRIES; attempt++) {
      const cur = await this.readForWrite(namespace, name, hint);
      if (cur.kv === undefined) throw errors.notFound(this.gr, name);
      const old = this.decode(cur.kv);
      const desired = await mutate(structuredClone(old));
      const dmeta = (desired.metadata ??= {});
      if (dmeta.name !== undefined && dmeta.name !== name) {
        throw errors.badRequest(`the name of the object (${String(dmeta.name)}) does not match the name on the URL (${name})`);
      }
      const wantRV = typeof dmeta.resourceVersion === 'string' && dmeta.resourceVersion !== '' ? dmeta.resourceVersion : undefined;
      this.checkRVSyntax(name, wantRV);
      if (wantRV !== undefined && wantRV !== String(cur.kv.modRevision)) throw errors.staleUpdate(this.gr, name);
      const next = this.mergeForUpdate(desired, old, opts.subresource);
      try {
        return await this.commitUpdate(namespace, next, old, cur.kv, opts);
      } catch (e) {
        // Always retry: the mutation runs again on the winner's value, and a resourceVersion the
        // request pinned (a patch carrying one) fails the precondition check above on that round.
        if (isStorageError(e, 'Conflict')) {
          hint.kv = e.current;
          continue;
        }
        throw e;
      }
    }
    throw errors.staleUpdate(this.gr, name);
  }

  /**
   * Server-side apply (PATCH application/apply-patch+yaml): `config` merged into the
   * object by its field manager, or, on the main resource, the object created from it
   * when it does not exist yet (`created`).
   */
  async apply(namespace: string, name: string, config: KObject, opts: ApplyOptions): Promise<{ obj: KObject; created: boolean }> {
    const subresource = opts.subresource ?? '';
    const fm = this.fieldManagers.for(subresource);
    if (fm === undefined) {
      throw errors.unsupportedMediaType('application/apply-patch+yaml', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`);
    }
    const { manager, force, ...writeOpts } = opts;
    for (let attempt = 0; attempt < MAX_GENERATE_ATTEMPTS; attempt++) {
      try {
        const obj = await this.guaranteedUpdate(namespace, name, (cur) => fm.apply(cur, config, manager, force), writeOpts);
        return { obj, created: false };
      } catch (e) {
        if (!(e instanceof StatusError) || e.code !== 404 || subresource !== '') throw e;
      }
      // Not found: the object is created from the configuration alone.
      const obj = fm.apply(fm.newObject(name, this.info.namespaced ? namespace : undefined), config, manager, force);
      if (obj.metadata?.name !== name) {
        throw errors.badRequest(`the name of the object (${String(obj.metadata?.name ?? '')}) does not match the name on the URL (${name})`);
      }
      try {
        return { obj: await this.create(namespace, obj, { ...writeOpts }), created: true };
      } catch (e) {
        // Created meanwhile by someone else: apply to theirs.
        if (!(e instanceof StatusError) || e.reason !== 'AlreadyExists') throw e;
      }
    }
    throw errors.staleUpdate(this.gr, name);
  }

  /** A resourceVersion precondition that is not a revision at all is 422 on metadata.resourceVersion (upstream's Update). */
  private checkRVSyntax(name: string, rv: string | undefined): void {
    if (rv === undefined || /^[0-9]+$/.test(rv)) return;
    throw errors.invalid(this.info.group, this.info.kind, name, [
      { type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: rv, detail: `strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax` },
    ]);
  }

  /** Applies the update rules: system metadata is preserved, status/spec split by subresource. */
  private mergeForUpdate(next: KObject, old: KObject, subresource: string | undefined): KObject {
    const om = old.metadata ?? {};
    if (subresource === 'status') {
      const merged = structuredClone(old);
      merged.status = next.status;
      // Status writers may still move metadata a controller owns on a few kinds; upstream keeps
      // labels/annotations from the old object, so do we. Managed fields an apply to the
      // status computed travel with it.
      merged.metadata!.resourceVersion = next.metadata?.resourceVersion;
      if (next.metadata?.managedFields !== undefined) merged.metadata!.managedFields = next.metadata.managedFields;
      next = merged;
    } else if (subresource === undefined && this.strategy.hasStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = structuredClone(old.status);
    }
    const nm = (next.metadata ??= {});
    nm.name = om.name;
    if (this.info.namespaced) nm.namespace = om.namespace;
    else delete nm.namespace;
    // A uid the client sent must be the object's (validation refuses another); an absent
    // one is filled. creationTimestamp changes are ignored, as upstream's BeforeUpdate.
    if (typeof nm.uid !== 'string' || nm.uid === '') nm.uid = om.uid;
    nm.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp !== undefined) nm.deletionTimestamp = om.deletionTimestamp;
    else delete nm.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) nm.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    else delete nm.deletionGracePeriodSeconds;
    if (om.generation !== undefined) nm.generation = om.generation;
    else delete nm.generation;
    delete nm.selfLink;
    return next;
  }

  private async commitUpdate(namespace: string, next: KObject, old: KObject, cur: KeyValue, opts: UpdateOptions): Promise<KObject> {
    this.strategy.defaults?.(next);
    this.strategy.prepareForUpdate?.(next, old, opts.subresource);
    if (opts.manager !== undefined) this.fieldManagers.for(opts.subresource ?? '')?.update(old, next, opts.manager);
    await opts.admit?.(next, old);
    if (this.strategy.tracksGeneration && opts.subresource !== 'status' && specChanged(next, old)) {
      next.metadata!.generation = ((old.metadata?.generation as number | undefined) ?? 0) + 1;
    }
    this.validate(next, old);
    const name = next.metadata!.name as string;
    // A deleting object whose last finalizer is removed is gone (upstream deletes on that update).
    const finalizers = next.metadata!.finalizers as string[] | undefined;
    const grace = next.metadata!.deletionGracePeriodSeconds as number | undefined;
    // As upstream's ShouldDeleteDuringUpdate: only once no grace period is left to run, so a
    // terminating pod's final status (written before the kubelet's DELETE) is kept.
    if (
      next.metadata!.deletionTimestamp !== undefined &&
      (grace === undefined || grace === 0) &&
      (finalizers === undefined || finalizers.length === 0) &&
      !(this.strategy.deletionBlocked?.(next) ?? false)
    ) {
      if (opts.dryRun) return next;
      try {
        const res = await this.store.delete(cur.key, cur.modRevision);
        const gone = this.decode({ ...res.prevKv, modRevision: res.revision });
        return gone;
      } catch (e) {
        throw mapStorageError(e, this.gr, name);
      }
    }
    next.metadata!.resourceVersion = old.metadata!.resourceVersion;
    if (isDeepStrictEqual(next, old)) return old; // no-op updates do not write (upstream skips them)
    if (opts.dryRun) return next;
    try {
      const res = await this.store.update(cur.key, this.encode(next), cur.modRevision);
      return this.decode(res.kv);
    } catch (e) {
      if (isStorageError(e, 'Conflict')) throw e;
      throw mapStorageError(e, this.gr, name);
    }
  }

  /**
   * DELETE: immediate, or graceful (deletionTimestamp set, object kept) when a grace
   * period applies or finalizers remain. Returns the object when it still exists (or the
   * kind returns deleted objects), otherwise a Success Status.
   */
  async delete(namespace: string, name: string, opts: DeleteOptions = {}): Promise<{ body: KObject | Status; pending: boolean }> {
    const policy = opts.propagationPolicy;
    if (policy !== undefined && policy !== '' && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw errors.invalid('meta.k8s.io', 'DeleteOptions', '', [
        { type: 'FieldValueNotSupported', field: 'propagationPolicy', value: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' },
      ]);
    }
    if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) {
      opts = { ...opts, gracePeriodSeconds: 1 };
    }
    const hint: { kv?: KeyValue } = {};
    for (let attempt = 0; attempt < MAX_UPDATE_RETRIES; attempt++) {
      const cur = await this.readForWrite(namespace, name, hint);
      if (cur.kv === undefined) throw errors.notFound(this.gr, name);
      const obj = this.decode(cur.kv);
      const meta = obj.metadata!;
      if (opts.preconditions?.uid !== undefined && opts.preconditions.uid !== meta.uid) {
        throw errors.conflict(this.gr, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${String(meta.uid)}`);
      }
      if (opts.preconditions?.resourceVersion !== undefined && opts.preconditions.resourceVersion !== meta.resourceVersion) {
        throw errors.conflict(
          this.gr,
          name,
          `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`,
        );
      }
      const finalizers = [...((meta.finalizers as string[] | undefined) ?? [])];
      const orphan = policy === 'Orphan' || (policy === undefined && opts.orphanDependents === true);
      if (orphan && !finalizers.includes('orphan')) finalizers.push('orphan');
      if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
      let grace = opts.gracePeriodSeconds ?? this.strategy.defaultGracePeriodSeconds?.(obj);
      if (grace === undefined) grace = 0;
      const blocked = this.strategy.deletionBlocked?.(obj) ?? false;
      const graceful = grace > 0 || finalizers.length > 0 || blocked;
      if (!graceful && meta.deletionTimestamp === undefined) {
        if (opts.dryRun) return { body: this.deletedBody(obj), pending: false };
        try {
          const res = await this.store.delete(cur.kv.key, cur.kv.modRevision);
          return { body: this.deletedBody(this.decode({ ...res.prevKv, modRevision: res.revision })), pending: false };
        } catch (e) {
          if (isStorageError(e, 'Conflict')) {
            hint.kv = e.current;
            continue;
          }
          throw mapStorageError(e, this.gr, name);
        }
      }
      // Graceful: set (or shorten) the deletion timestamp; finalizers then decide when it goes.
      const next = structuredClone(obj);
      const nm = next.metadata!;
      const now = this.clock.now();
      if (nm.deletionTimestamp === undefined) {
        nm.deletionTimestamp = rfc3339(now + grace * 1000);
        nm.deletionGracePeriodSeconds = grace;
      } else if (typeof nm.deletionGracePeriodSeconds === 'number' && grace < nm.deletionGracePeriodSeconds) {
        nm.deletionTimestamp = rfc3339(now + grace * 1000);
        nm.deletionGracePeriodSeconds = grace;
      }
      if (finalizers.length > 0) nm.finalizers = finalizers;
      this.strategy.prepareForDelete?.(next);
      if (finalizers.length === 0 && grace === 0 && !blocked) {
        // Already terminating and now asked for immediate deletion.
        if (opts.dryRun) return { body: this.deletedBody(obj), pending: false };
        try {
          const res = await this.store.delete(cur.kv.key, cur.kv.modRevision);
          return { body: this.deletedBody(this.decode({ ...res.prevKv, modRevision: res.revision })), pending: false };
        } catch (e) {
          if (isStorageError(e, 'Conflict')) {
            hint.kv = e.current;
            continue;
          }
          throw mapStorageError(e, this.gr, name);
        }
      }
      if (isDeepStrictEqual(next, obj)) return { body: obj, pending: true };
      if (opts.dryRun) return { body: next, pending: true };
      try {
        const res = await this.store.update(cur.kv.key, this.encode(next), cur.kv.modRevision);
        return { body: this.decode(res.kv), pending: true };
      } catch (e) {
        if (isStorageError(e, 'Conflict')) {
          hint.kv = e.current;
          continue;
        }
        throw mapStorageError(e, this.gr, name);
      }
    }
    throw errors.staleUpdate(this.gr, name);
  }

  /** Pods come back as the deleted object (upstream's ReturnDeletedObject); other kinds as a Status. */
  private deletedBody(obj: KObject): KObject | Status {
    if (this.info.kind === 'Pod' && this.info.group === '') return obj;
    return successStatus({ name: obj.metadata?.name as string, group: this.info.group, kind: this.info.resource, uid: obj.metadata?.uid as string });
  }

  async deleteCollection(namespace: string, filter: Filter | undefined, opts: DeleteOptions): Promise<KObject[]> {
    const listed = await this.list({ namespace, ...(filter ? { filter } : {}) });
    const out: KObject[] = [];
    for (const item of listed.items) {
      try {
        const r = await this.delete(item.metadata!.namespace as string ?? '', item.metadata!.name as string, opts);
        out.push(r.pending ? (r.body as KObject) : item);
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) continue;
        throw e;
      }
    }
    return out;
  }

  /**
   * Streams changes after params.afterRevision. With a filter, an object that starts or
   * stops matching is reported as ADDED or DELETED, as upstream's watch cache does.
   */
  watch(p: WatchParams, sink: WatchSink): Watcher {
    const filter = p.filter;
    return this.store.watch(
      this.prefix(p.namespace),
      { startRevision: p.afterRevision + 1 },
      {
        onEvents: (events: WatchEvent[]) => {
          const last = events[events.length - 1];
          for (const ev of events) {
            const obj = this.decode(ev.kv);
            if (ev.type === 'delete') {
              const prev = ev.prevKv !== undefined ? this.decode({ ...ev.prevKv, modRevision: ev.revision }) : obj;
              if (filter === undefined || filter(prev)) sink.onEvent('DELETED', prev, ev.revision);
              continue;
            }
            if (filter === undefined) {
              sink.onEvent(ev.type === 'create' ? 'ADDED' : 'MODIFIED', obj, ev.revision);
              continue;
            }
            const now = filter(obj);
            const prev = ev.type === 'update' && ev.prevKv !== undefined ? this.decode({ ...ev.prevKv, modRevision: ev.revision }) : undefined;
            const before = prev !== undefined && filter(prev);
            if (now && before) sink.onEvent('MODIFIED', obj, ev.revision);
            else if (now) sink.onEvent('ADDED', obj, ev.revision);
            // Upstream's cacheWatcher: the object as the watcher last saw it, at the event's revision.
            else if (before) sink.onEvent('DELETED', prev, ev.revision);
          }
          if (last !== undefined) sink.onProgress?.(last.revision);
        },
        onError: (err) => {
          if (err.code === 'Compacted') {
            sink.onError(errors.gone(`too old resource version: ${p.afterRevision} (${err.revision ?? 0})`));
          } else {
            sink.onError(errors.internal(err.message));
          }
        },
      },
    );
  }

  /**
   * The current value for a read-modify-write. After a conflict the store has told us the
   * value that won; using it (instead of reading again) matters because reads are served by
   * the watch cache, which may not have applied that write yet, so a re-read could return
   * the same stale value and conflict again.
   */
  private async readForWrite(namespace: string, name: string, hint: { kv?: KeyValue }): Promise<{ kv: KeyValue | undefined }> {
    if (hint.kv !== undefined) {
      const kv = hint.kv;
      hint.kv = undefined;
      return { kv };
    }
    return this.storeCall(() => this.store.get(this.key(namespace, name)));
  }

  private async storeCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapStorageError(e, this.gr, '');
    }
  }
}

/** Anything but metadata and status changed: that is what bumps generation upstream. */
function specChanged(a: KObject, b: KObject): boolean {
  const strip = (o: KObject): KObject => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return !isDeepStrictEqual(strip(a), strip(b));
}

export function mapStorageError(e: unknown, gr: { group: string; resource: string }, name: string): Error {
  if (e instanceof StatusError) return e;
  if (isStorageError(e)) {
    switch (e.code) {
      case 'KeyExists':
        return errors.alreadyExists(gr, name);
      case 'KeyNotFound':
        return errors.notFound(gr, name);
      case 'Conflict':
        return errors.staleUpdate(gr, name);
      case 'Compacted':
        return errors.gone(`too old resource version: (${e.revision ?? 0})`);
      case 'FutureRevision':
        return errors.timeout(e.message);
      case 'Unavailable':
        return errors.serviceUnavailable(e.message);
      default:
        return errors.internal(e.message);
    }
  }
  return errors.internal(e instanceof Error ? e.message : String(e));
}
