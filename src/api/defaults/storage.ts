/** storage.k8s.io/v1 defaults (upstream pkg/apis/storage/v1/defaults.go). */
import { setDefault, type Obj } from './util.js';

export function defaultStorageClass(sc: Obj): void {
  setDefault(sc, 'reclaimPolicy', 'Delete');
  setDefault(sc, 'volumeBindingMode', 'Immediate');
}
