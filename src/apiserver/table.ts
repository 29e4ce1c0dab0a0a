/**
 * Builds meta.k8s.io Table responses (what `kubectl get` asks for) and
 * PartialObjectMetadata views from stored objects. Column choice is the printers'.
 */
import { printerFor } from './printers/index.js';
import type { KObject } from './registry/strategy.js';
import type { ResourceInfo } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(v: string | null): IncludeObject {
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  // Upstream ValidateTableOptions, as errors.NewInvalid(GroupKind{meta.k8s.io, TableOptions}, "", errs).
  const detail = `Invalid value: ${JSON.stringify(v)}: must be 'Metadata', 'Object', 'None', or empty`;
  throw new StatusError(422, 'Invalid', `TableOptions.meta.k8s.io "" is invalid: includeObject: ${detail}`, {
    group: 'meta.k8s.io',
    kind: 'TableOptions',
    causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'includeObject' }],
  });
}

export function partialMetadata(obj: KObject, version: string): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

export function toTable(
  info: ResourceInfo,
  items: KObject[],
  listMeta: Record<string, unknown>,
  opts: { version: string; includeObject: IncludeObject; now: number; noHeaders?: boolean },
): KObject {
  const p = printerFor(info.group, info.kind);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: listMeta,
    columnDefinitions: opts.noHeaders ? [] : p.columns,
    rows: items.map((obj) => {
      const row: KObject = { cells: p.cells(obj, opts.now) };
      const conditions = p.conditions?.(obj);
      if (conditions !== undefined && conditions.length > 0) row.conditions = conditions;
      if (opts.includeObject === 'Metadata') row.object = partialMetadata(obj, opts.version);
      else if (opts.includeObject === 'Object') row.object = obj;
      return row;
    }),
  };
}
