/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding, as
 * upstream's pkg/apis/rbac/validation. A binding's roleRef cannot change; upstream
 * prints the new roleRef as a Go struct in that message, and so do we.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../apimachinery/validation.js';
import { goQuote, goStringSlice, invalidGo, isObj, objs, str, validateLabelSelector, type Obj } from './util.js';

const GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** ValidatePolicyRule: verbs always; then either non-resource URLs or API groups and resources. */
function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (list(rule.verbs).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = list(rule.nonResourceURLs);
  if (urls.length > 0) {
    const shown = goStringSlice(urls);
    if (namespaced) errs.push(invalidGo(`${path}.nonResourceURLs`, shown, 'namespaced rules cannot apply to non-resource URLs'));
    if (list(rule.apiGroups).length > 0 || list(rule.resources).length > 0 || list(rule.resourceNames).length > 0) {
      errs.push(invalidGo(`${path}.nonResourceURLs`, shown, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (list(rule.apiGroups).length === 0) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (list(rule.resources).length === 0) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  return objs(rules).flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));
}

export function validateRole(role: Obj): FieldError[] {
  return validateRules(role.rules, true);
}

export function validateClusterRole(role: Obj): FieldError[] {
  const errs = validateRules(role.rules, false);
  if (isObj(role.aggregationRule)) {
    const p = 'aggregationRule.clusterRoleSelectors';
    const selectors = objs(role.aggregationRule.clusterRoleSelectors);
    if (selectors.length === 0) errs.push(field.required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, `${p}[${i}]`)));
  }
  return errs;
}

function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (name === '') errs.push(field.required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name !== '') for (const m of isDNS1123Subdomain(name)) errs.push(field.invalid(`${path}.name`, name, m));
      if (apiGroup !== '') errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && str(s.namespace) === '') errs.push(field.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== GROUP) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, [GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, str(s.kind), SUBJECT_KINDS));
  }
  return errs;
}

function validateBinding(b: Obj, kinds: string[], namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref: Obj = isObj(b.roleRef) ? b.roleRef : {};
  if (str(ref.apiGroup) !== GROUP) errs.push(field.notSupported('roleRef.apiGroup', str(ref.apiGroup), [GROUP]));
  if (!kinds.includes(str(ref.kind))) errs.push(field.notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (name === '') errs.push(field.required('roleRef.name'));
  else for (const m of isValidPathSegmentName(name)) errs.push(field.invalid('roleRef.name', name, m));
  objs(b.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

export function validateRoleBinding(rb: Obj): FieldError[] {
  return validateBinding(rb, ['Role', 'ClusterRole'], true);
}

export function validateClusterRoleBinding(crb: Obj): FieldError[] {
  return validateBinding(crb, ['ClusterRole'], false);
}

/** The internal rbac.RoleRef as Go's %#v prints it. */
function goRoleRef(ref: Obj): string {
  return `rbac.RoleRef{APIGroup:${goQuote(str(ref.apiGroup))}, Kind:${goQuote(str(ref.kind))}, Name:${goQuote(str(ref.name))}}`;
}

function roleRefUnchanged(b: Obj, old: Obj): FieldError[] {
  const n: Obj = isObj(b.roleRef) ? b.roleRef : {};
  const o: Obj = isObj(old.roleRef) ? old.roleRef : {};
  const same = ['apiGroup', 'kind', 'name'].every((k) => str(n[k]) === str(o[k]));
  return same ? [] : [invalidGo('roleRef', goRoleRef(n), 'cannot change roleRef')];
}

export function validateRoleBindingUpdate(rb: Obj, old: Obj): FieldError[] {
  return [...validateRoleBinding(rb), ...roleRefUnchanged(rb, old)];
}

export function validateClusterRoleBindingUpdate(crb: Obj, old: Obj): FieldError[] {
  return [...validateClusterRoleBinding(crb), ...roleRefUnchanged(crb, old)];
}
