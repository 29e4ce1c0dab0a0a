/**
 * Ownership bookkeeping of server-side apply (upstream's merge.Updater), for one API
 * version:
 *
 *  - update: a non-apply write. Whatever it added or modified becomes the writer's;
 *    other managers lose those fields (never a conflict) and everyone loses removed ones.
 *  - apply: the configuration is merged over the live object; the applier owns exactly
 *    the configuration's fields; fields it owned before and no longer sends are removed
 *    unless someone else owns them; changing a field another manager owns is a conflict
 *    unless forced, in which case the field changes hands.
 *
 * `ignored` are the reset fields of the endpoint (status when writing the main resource):
 * they never count as changes, conflicts or ownership.
 */
import { type Path } from '../fieldpath/element.js';
import { FieldSet } from '../fieldpath/set.js';
import { compare, deepEqual, merge, type Comparison } from '../typed/merge.js';
import { ensureNamedFieldsAreMembers, removeItems } from '../typed/remove.js';
import type { TypeRef } from '../typed/schema.js';
import { toFieldSet } from '../typed/tofieldset.js';
import type { VersionedSet } from './managed.js';

export interface Conflict {
  /** The manager identifier. */
  manager: string;
  path: Path;
}

export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflicts`);
  }
}

export type Managers = Map<string, VersionedSet>;

function filterComparison(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (ignored === undefined || ignored.empty()) return c;
  return { added: c.added.withoutPrefixes(ignored), removed: c.removed.withoutPrefixes(ignored), modified: c.modified.withoutPrefixes(ignored) };
}

export class Updater {
  constructor(
    private readonly ref: TypeRef,
    private readonly ignored: FieldSet | undefined,
  ) {}

  private filter(set: FieldSet): FieldSet {
    return this.ignored === undefined || this.ignored.empty() ? set : set.withoutPrefixes(this.ignored);
  }

  /** Takes changed fields from other managers (or refuses, unforced); returns the raw comparison. */
  private reassign(oldObj: unknown, newObj: unknown, managers: Managers, workflow: string, force: boolean): Comparison {
    const raw = compare(oldObj, newObj, this.ref);
    const c = filterComparison(raw, this.ignored);
    const changed = c.modified.union(c.added);
    const conflicts = new Map<string, FieldSet>();
    for (const [manager, vs] of managers) {
      if (manager === workflow) continue;
      const clash = vs.set.intersection(changed);
      if (!clash.empty()) conflicts.set(manager, clash);
    }
    if (!force && conflicts.size > 0) {
      const list: Conflict[] = [];
      for (const manager of [...conflicts.keys()].sort()) for (const path of conflicts.get(manager)!.paths()) list.push({ manager, path });
      throw new ConflictsError(list);
    }
    for (const [manager, clash] of conflicts) {
      const vs = managers.get(manager)!;
      managers.set(manager, { ...vs, set: vs.set.difference(clash) });
    }
    if (!c.removed.empty()) {
      for (const [manager, vs] of managers) if (manager !== workflow) managers.set(manager, { ...vs, set: vs.set.difference(c.removed) });
    }
    for (const [manager, vs] of managers) if (vs.set.empty()) managers.delete(manager);
    return raw;
  }

  /** A non-apply write by `manager`: returns the managers after it (mutates `managers`). */
  update(liveObj: unknown, newObj: unknown, version: string, managers: Managers, manager: string): Managers {
    const raw = this.reassign(liveObj, newObj, managers, manager, true);
    const prev = managers.get(manager)?.set ?? new FieldSet();
    const set = this.filter(prev.difference(raw.removed).union(raw.modified).union(raw.added));
    if (set.empty()) managers.delete(manager);
    else managers.set(manager, { set, apiVersion: version, applied: false });
    return managers;
  }

  /**
   * An apply of `config` by `manager`. Returns the new object, or undefined when it equals
   * the live one; throws ConflictsError unless forced.
   */
  apply(liveObj: unknown, config: unknown, version: string, managers: Managers, manager: string, force: boolean): { object: unknown; managers: Managers } {
    let merged = merge(liveObj, config, this.ref);
    const lastSet = managers.get(manager);
    managers.set(manager, { set: this.filter(toFieldSet(config, this.ref)), apiVersion: version, applied: true });
    merged = this.prune(merged, managers, lastSet);
    this.reassign(liveObj, merged, managers, manager, force);
    return { object: deepEqual(liveObj, merged) ? undefined : merged, managers };
  }

  /** Removes what the applier owned before and dropped, unless another manager owns it. */
  private prune(merged: unknown, managers: Managers, lastSet: VersionedSet | undefined): unknown {
    if (lastSet === undefined || lastSet.set.empty()) return merged;
    const ensure = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, this.ref);
    const last = ensure(lastSet.set);
    let pruned = removeItems(merged, this.ref, last);
    // Add back what anyone (the applier's new set included) owns.
    const owned = new FieldSet();
    for (const vs of managers.values()) owned.addAll(vs.set);
    const mergedSet = ensure(toFieldSet(merged, this.ref));
    pruned = removeItems(merged, this.ref, mergedSet.difference(ensure(toFieldSet(pruned, this.ref)).union(ensure(owned))));
    // Only what was in the last applied set goes; items removed along with it stay.
    return removeItems(merged, this.ref, mergedSet.difference(ensure(toFieldSet(pruned, this.ref))).intersection(last));
  }
}
