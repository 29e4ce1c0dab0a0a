/**
 * Resource names (core helper's standard sets and validateResourceName and friends): what
 * may key a ResourceQuota's hard list, a LimitRange item, a container resource metric.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isQualifiedName } from '../../apimachinery/validation.js';

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];
const OBJECT_COUNTS = [
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
];
const REQUESTS_LIMITS = [
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
];
const STANDARD_RESOURCES = new Set([...COMPUTE, ...REQUESTS_LIMITS, ...OBJECT_COUNTS, 'storage', 'requests.storage']);
const STANDARD_QUOTA_RESOURCES = new Set([...COMPUTE, ...REQUESTS_LIMITS, ...OBJECT_COUNTS, 'requests.storage']);
const INTEGER_RESOURCES = new Set(OBJECT_COUNTS);
const REQUESTS_PREFIX = 'requests.';

function isHugePage(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isQuotaHugePage(name: string): boolean {
  return isHugePage(name) || name.startsWith('requests.hugepages-');
}

export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePage(name);
}

/** IsNativeResource: unprefixed, or prefixed with a kubernetes.io domain. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** IsExtendedResourceName: a non-native name that stays qualified with "requests." in front. */
export function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return isQualifiedName(REQUESTS_PREFIX + name).length === 0;
}

/** IsIntegerResourceName: object counts and extended resources take whole numbers only. */
export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** IsOvercommitAllowed: native resources except hugepages (extended resources never overcommit). */
export function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePage(name);
}

/** validateResourceName: a qualified name, and a standard one when it has no prefix. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePage(name)) {
    return [field.invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** ValidateContainerResourceName: cpu, memory, ephemeral-storage, hugepages or an extended resource. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!COMPUTE.includes(name) && !isHugePage(name)) errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuotaResourceName. */
export function validateResourceQuotaResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) errs.push(field.invalid(path, name, 'must be a standard resource for quota'));
  return errs;
}
