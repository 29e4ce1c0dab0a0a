/**
 * The field manager of each resource endpoint (main resource and subresources), built
 * from the OpenAPI definitions the server advertises so apply merges lists and maps the
 * way clients read them from /openapi. Kinds without a definition get none: their
 * writes keep no managedFields and applies are refused (upstream serves apply only for
 * types it has a schema for).
 */
import { loadDefinitions } from '../../apimachinery/strategicpatch.js';
import { FieldManager } from '../../apimachinery/managedfields/fieldmanager.js';
import { zeroObject } from '../../apimachinery/managedfields/zero.js';
import { TypeSchema, type Definitions } from '../../apimachinery/typed/schema.js';
import type { ResourceInfo } from '../../api/types.js';
import type { Clock } from '../../util/clock.js';

let shared: TypeSchema | undefined;
function schema(): TypeSchema {
  return (shared ??= new TypeSchema(loadDefinitions() as Definitions));
}

/** What a write to this endpoint may not change, so it is never owned through it. */
function resetFields(hasStatus: boolean, subresource: string): string[] {
  if (subresource === '') return hasStatus ? ['status'] : [];
  if (subresource === 'status') return ['spec'];
  return [];
}

export class FieldManagers {
  private readonly byEndpoint = new Map<string, FieldManager | undefined>();

  constructor(
    private readonly info: ResourceInfo,
    private readonly hasStatus: boolean,
    private readonly clock: Clock,
  ) {}

  /** The manager of '' (the resource) or a subresource; undefined for kinds without a schema. */
  for(subresource: string): FieldManager | undefined {
    if (!this.byEndpoint.has(subresource)) this.byEndpoint.set(subresource, this.build(subresource));
    return this.byEndpoint.get(subresource);
  }

  private build(subresource: string): FieldManager | undefined {
    const s = schema();
    const { group, version, kind } = this.info;
    const name = s.definitionForKind(group, version, kind);
    const type = name === undefined ? undefined : s.definition(name);
    if (type === undefined) return undefined;
    return new FieldManager({
      type,
      group,
      version,
      kind,
      subresource,
      resetFields: resetFields(this.hasStatus, subresource),
      zero: () => zeroObject(group, version, kind),
      now: () => this.clock.now(),
    });
  }
}
