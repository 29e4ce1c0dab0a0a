/**
 * NamespaceLifecycle, as upstream's admission plugin: nothing may be created in a
 * namespace that does not exist or is terminating, and the system namespaces may
 * not be deleted.
 */
import { errors, StatusError } from '../../apimachinery/errors.js';
import type { KObject } from '../registry/strategy.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export interface NamespaceLifecycleOptions {
  getNamespace(name: string): Promise<KObject | undefined>;
  immortal?: string[];
}

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  private readonly immortal: Set<string>;
  constructor(private readonly opts: NamespaceLifecycleOptions) {
    this.immortal = new Set(opts.immortal ?? ['default', 'kube-system', 'kube-public']);
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    const res = a.resource;
    if (res.group === '' && res.resource === 'namespaces') {
      if (a.operation === 'DELETE' && this.immortal.has(a.name)) {
        throw errors.forbidden({ group: '', resource: 'namespaces' }, a.name, 'this namespace may not be deleted');
      }
      return;
    }
    if (a.operation !== 'CREATE' || !res.namespaced || a.subresource !== '') return;
    const ns = await this.opts.getNamespace(a.namespace);
    if (ns === undefined) throw errors.notFound({ group: '', resource: 'namespaces' }, a.namespace);
    if (ns.metadata?.deletionTimestamp !== undefined || (ns.status as Record<string, unknown> | undefined)?.phase === 'Terminating') {
      throw new StatusError(403, 'Forbidden', `${a.resource.resource}${res.group ? '.' + res.group : ''} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`, {
        name: a.name,
        group: res.group,
        kind: res.resource,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }
}
