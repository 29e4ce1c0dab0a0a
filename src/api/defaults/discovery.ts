/** discovery.k8s.io/v1 defaults (upstream pkg/apis/discovery/v1/defaults.go). */
import { objs, setDefault, type Obj } from './util.js';

export function defaultEndpointSlice(es: Obj): void {
  for (const p of objs(es.ports)) {
    setDefault(p, 'protocol', 'TCP');
    setDefault(p, 'name', '');
  }
}
