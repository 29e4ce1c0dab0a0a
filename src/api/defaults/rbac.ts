/**
 * rbac.authorization.k8s.io/v1 defaults (upstream pkg/apis/rbac/v1/defaults.go): a
 * binding's roleRef and its User and Group subjects belong to the RBAC group unless told.
 */
import { child, objs, type Obj } from './util.js';

const GROUP = 'rbac.authorization.k8s.io';

function defaultBinding(b: Obj): void {
  const ref = child(b, 'roleRef');
  if (typeof ref.apiGroup !== 'string' || ref.apiGroup === '') ref.apiGroup = GROUP;
  for (const s of objs(b.subjects)) {
    if (typeof s.apiGroup === 'string' && s.apiGroup !== '') continue;
    // A ServiceAccount's group is "" (omitted), which it already is.
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = GROUP;
  }
}

export const defaultRoleBinding = defaultBinding;
export const defaultClusterRoleBinding = defaultBinding;
