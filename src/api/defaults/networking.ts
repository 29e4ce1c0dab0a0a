/** networking.k8s.io/v1 defaults (upstream pkg/apis/networking/v1/defaults.go). Ingress paths have no default pathType in v1. */
import { child, isObj, objs, setDefault, type Obj } from './util.js';

export function defaultNetworkPolicy(np: Obj): void {
  const spec = child(np, 'spec');
  setDefault(spec, 'podSelector', {});
  // Only an absent protocol is defaulted; an empty string stays and fails validation, as upstream.
  for (const r of [...objs(spec.ingress), ...objs(spec.egress)]) for (const p of objs(r.ports)) setDefault(p, 'protocol', 'TCP');
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    const types = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) types.push('Egress');
    spec.policyTypes = types;
  }
}

export function defaultIngressClass(ic: Obj): void {
  const spec = isObj(ic.spec) ? ic.spec : undefined;
  if (spec !== undefined && isObj(spec.parameters)) setDefault(spec.parameters, 'scope', 'Cluster');
}
