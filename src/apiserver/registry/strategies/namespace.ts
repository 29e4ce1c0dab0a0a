/**
 * Namespaces: created Active with the "kubernetes" finalizer in spec.finalizers;
 * deletion turns them Terminating and they stay until the namespace controller has
 * emptied them and cleared spec.finalizers through the finalize subresource.
 */
import type { KObject, Strategy } from '../strategy.js';

export function namespaceStrategy(base: Strategy): Strategy {
  return {
    ...base,
    hasStatus: true,
    defaults(obj: KObject): void {
      const meta = (obj.metadata ??= {});
      const labels = (meta.labels ??= {}) as Record<string, string>;
      // Upstream labels every namespace with its own name (NamespaceDefaultLabelName, GA in 1.22).
      if (typeof meta.name === 'string') labels['kubernetes.io/metadata.name'] = meta.name;
    },
    prepareForCreate(obj: KObject): void {
      const spec = (obj.spec ??= {}) as Record<string, unknown>;
      const fin = (spec.finalizers as string[] | undefined) ?? [];
      if (!fin.includes('kubernetes')) fin.push('kubernetes');
      spec.finalizers = fin;
      obj.status = { phase: 'Active' };
    },
    prepareForUpdate(obj: KObject, old: KObject, subresource: string | undefined): void {
      if (subresource === 'finalize') {
        // finalize may change spec.finalizers and nothing else.
        const fin = (obj.spec as Record<string, unknown> | undefined)?.finalizers ?? [];
        const meta = obj.metadata;
        for (const k of Object.keys(obj)) delete obj[k];
        Object.assign(obj, structuredClone(old));
        obj.metadata = meta;
        (obj.spec ??= {}).finalizers = fin;
        return;
      }
      if (subresource === undefined) {
        // spec.finalizers only moves through the finalize subresource.
        const spec = (obj.spec ??= {}) as Record<string, unknown>;
        const oldFin = (old.spec as Record<string, unknown> | undefined)?.finalizers;
        if (oldFin === undefined) delete spec.finalizers;
        else spec.finalizers = structuredClone(oldFin);
      }
    },
    deletionBlocked(obj: KObject): boolean {
      const fin = ((obj.spec as Record<string, unknown> | undefined)?.finalizers as string[] | undefined) ?? [];
      return fin.length > 0;
    },
    prepareForDelete(obj: KObject): void {
      obj.status = { ...((obj.status as Record<string, unknown> | undefined) ?? {}), phase: 'Terminating' };
    },
  };
}
