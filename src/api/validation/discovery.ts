/**
 * discovery.k8s.io/v1 EndpointSlice, as upstream's pkg/apis/discovery/validation: the
 * address type, addresses valid for it (and not special, see endpoints.ts), ports, hints.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateLabels } from '../../apimachinery/validation.js';
import { parseIP } from './cidr.js';
import { isAPIServerEndpoints, validateEndpointIP } from './endpoints.js';
import { immutable, isObj, objs, str, strMap, type Obj } from './util.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ZONE_HINTS = 8;

/** field.TooMany: "Too many: <n>: must have at most <max> items". */
export function tooMany(path: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field: path, detail: `${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}` };
}

/** IsFullyQualifiedDomainName (a trailing dot allowed, at least two labels). */
export function validateFQDN(name: string, path: string): FieldError[] {
  if (name === '') return [field.required(path)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length > 0) return [field.invalid(path, n, sub.join(','))];
  const labels = n.split('.');
  if (labels.length < 2) return [field.invalid(path, n, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length > 0) return [field.invalid(path, l, e.join(','))];
  }
  return [];
}

function validateAddress(address: string, type: string, path: string, allowLoopback: boolean): FieldError[] {
  if (type === 'FQDN') return validateFQDN(address, path);
  if (type !== 'IPv4' && type !== 'IPv6') return [];
  const ip = parseIP(address);
  const isV4 = ip !== undefined && (!ip.v6 || ip.value >> 32n === 0xffffn);
  if (type === 'IPv4' && !isV4) return [field.invalid(path, address, 'must be a valid IPv4 address')];
  if (type === 'IPv6' && (ip === undefined || isV4)) return [field.invalid(path, address, 'must be a valid IPv6 address')];
  return validateEndpointIP(address, path, allowLoopback);
}

function validateHints(hints: Obj, path: string): FieldError[] {
  const zones = objs(hints.forZones);
  const p = `${path}.forZones`;
  if (zones.length > MAX_ZONE_HINTS) return [tooMany(p, zones.length, MAX_ZONE_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const name = str(z.name);
    const zp = `${p}[${i}].name`;
    if (seen.has(name)) errs.push(field.duplicate(zp, name));
    else seen.add(name);
    for (const m of isValidLabelValue(name)) errs.push(field.invalid(zp, name, m));
  });
  return errs;
}

function validateEndpoints(es: Obj, type: string): FieldError[] {
  const endpoints = objs(es.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const allowLoopback = isAPIServerEndpoints(es);
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addresses = Array.isArray(ep.addresses) ? ep.addresses.map((a: unknown) => str(a)) : [];
    if (addresses.length === 0) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${p}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a: string, j: number) => errs.push(...validateAddress(a, type, `${p}.addresses[${j}]`, allowLoopback)));
    if (typeof ep.nodeName === 'string') for (const m of isDNS1123Subdomain(ep.nodeName)) errs.push(field.invalid(`${p}.nodeName`, ep.nodeName, m));
    const topology = strMap(ep.deprecatedTopology);
    const n = Object.keys(topology).length;
    if (n > MAX_TOPOLOGY_LABELS) errs.push(tooMany(`${p}.deprecatedTopology`, n, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, `${p}.deprecatedTopology`));
    if (typeof ep.hostname === 'string') for (const m of isDNS1123Label(ep.hostname)) errs.push(field.invalid(`${p}.hostname`, ep.hostname, m));
    if (isObj(ep.hints)) errs.push(...validateHints(ep.hints, `${p}.hints`));
  });
  return errs;
}

function validatePorts(ports: unknown): FieldError[] {
  const list = objs(ports);
  if (list.length > MAX_PORTS) return [tooMany('ports', list.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((p, i) => {
    const pp = `ports[${i}]`;
    const name = str(p.name);
    if (name !== '') for (const m of isDNS1123Label(name)) errs.push(field.invalid(`${pp}.name`, name, m));
    if (names.has(name)) errs.push(field.duplicate(`${pp}.name`, name));
    else names.add(name);
    if (p.protocol === undefined || p.protocol === null) errs.push(field.required(`${pp}.protocol`));
    else if (!PROTOCOLS.includes(str(p.protocol))) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.appProtocol === 'string') for (const m of isQualifiedName(p.appProtocol)) errs.push(field.invalid(`${pp}.appProtocol`, p.appProtocol, m));
  });
  return errs;
}

export function validateEndpointSlice(es: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(es.addressType);
  if (type === '') errs.push(field.required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(field.notSupported('addressType', type, ADDRESS_TYPES));
  errs.push(...validateEndpoints(es, type), ...validatePorts(es.ports));
  return errs;
}

export function validateEndpointSliceUpdate(es: Obj, old: Obj): FieldError[] {
  return [...validateEndpointSlice(es), ...immutable(str(es.addressType), str(old.addressType), 'addressType')];
}
