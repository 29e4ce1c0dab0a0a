/**
 * core/v1 Endpoints (upstream's ValidateEndpoints/ValidateEndpointsUpdate) and the
 * endpoint-IP rule EndpointSlices share: no unspecified, loopback or link-local address.
 *
 * One exception: the API server's own `default/kubernetes` Endpoints and EndpointSlice.
 * Upstream's endpoint reconciler writes them through the same validation and simply fails
 * (logging "unable to sync kubernetes service") when the advertise address is loopback;
 * kubelite serves on loopback by design and its bootstrap writes 127.0.0.1 there, so for
 * that one object a loopback address is accepted. Every other write follows upstream.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../apimachinery/validation.js';
import { parseIP } from './cidr.js';
import { isObj, isValidPortNum, objs, str, type Obj } from './util.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
export const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** Whether obj is the API server's own endpoints object (see the file comment). */
export function isAPIServerEndpoints(obj: Obj): boolean {
  const meta: Obj = isObj(obj.metadata) ? obj.metadata : {};
  return meta.namespace === 'default' && meta.name === 'kubernetes';
}

/** An IPv4 address, or an IPv4-mapped IPv6 one, as its 32 bits (Go's To4). */
function v4Bits(ip: { v6: boolean; value: bigint }): bigint | undefined {
  if (!ip.v6) return ip.value;
  return ip.value >> 32n === 0xffffn ? ip.value & 0xffffffffn : undefined;
}

/** ValidateEndpointIP: a valid address that is not unspecified, loopback or link-local. */
export function validateEndpointIP(address: string, path: string, allowLoopback = false): FieldError[] {
  const ip = parseIP(address);
  if (ip === undefined) return [field.invalid(path, address, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = v4Bits(ip);
  const top16 = ip.value >> 112n;
  const unspecified = v4 !== undefined ? v4 === 0n : ip.value === 0n;
  const loopback = v4 !== undefined ? v4 >> 24n === 127n : ip.value === 1n;
  const linkLocal = v4 !== undefined ? v4 >> 16n === 0xa9fen : (top16 & 0xffc0n) === 0xfe80n;
  const linkLocalMulticast = v4 !== undefined ? v4 >> 8n === 0xe00000n : (top16 & 0xff0fn) === 0xff02n;
  if (unspecified) errs.push(field.invalid(path, address, `may not be unspecified (${address})`));
  if (loopback && !allowLoopback) errs.push(field.invalid(path, address, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(field.invalid(path, address, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(field.invalid(path, address, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

function dns1123Label(v: string, path: string): FieldError[] {
  return isDNS1123Label(v).map((m) => field.invalid(path, v, m));
}

/** IP -> nodeName of the old object's addresses: an address may not move to another node. */
function nodeNames(subsets: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of objs(subsets)) {
    for (const a of [...objs(s.addresses), ...objs(s.notReadyAddresses)]) if (typeof a.nodeName === 'string') out.set(str(a.ip), a.nodeName);
  }
  return out;
}

function validateAddress(a: Obj, path: string, oldNodes: Map<string, string>, allowLoopback: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ip = str(a.ip);
  if (parseIP(ip) === undefined) errs.push(field.invalid(`${path}.ip`, ip, INVALID_IP_MSG));
  const hostname = str(a.hostname);
  if (hostname !== '') errs.push(...dns1123Label(hostname, `${path}.hostname`));
  if (typeof a.nodeName === 'string') for (const m of isDNS1123Subdomain(a.nodeName)) errs.push(field.invalid(`${path}.nodeName`, a.nodeName, m));
  const was = oldNodes.get(ip);
  if (was !== undefined && typeof a.nodeName === 'string' && a.nodeName !== was) {
    errs.push(field.forbidden(`${path}.nodeName`, `Cannot change NodeName for ${ip} to ${a.nodeName}`));
  }
  // The special-address rule only runs on an otherwise valid address.
  if (errs.length > 0) return errs;
  return validateEndpointIP(ip, `${path}.ip`, allowLoopback);
}

function validatePort(p: Obj, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p.name);
  if (requireName && name === '') errs.push(field.required(`${path}.name`));
  else if (name !== '') errs.push(...dns1123Label(name, `${path}.name`));
  const port = typeof p.port === 'number' ? p.port : 0;
  for (const m of isValidPortNum(port)) errs.push(field.invalid(`${path}.port`, port, m));
  const protocol = str(p.protocol);
  if (protocol === '') errs.push(field.required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(protocol)) errs.push(field.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
  return errs;
}

function validateSubsets(ep: Obj, oldSubsets: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const oldNodes = nodeNames(oldSubsets);
  const allowLoopback = isAPIServerEndpoints(ep);
  objs(ep.subsets).forEach((s, i) => {
    const p = `subsets[${i}]`;
    const ready = objs(s.addresses);
    const notReady = objs(s.notReadyAddresses);
    if (ready.length === 0 && notReady.length === 0) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    ready.forEach((a, j) => errs.push(...validateAddress(a, `${p}.addresses[${j}]`, oldNodes, allowLoopback)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`, oldNodes, allowLoopback)));
    const ports = objs(s.ports);
    ports.forEach((port, j) => errs.push(...validatePort(port, ports.length > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

export function validateEndpoints(ep: Obj): FieldError[] {
  return validateSubsets(ep, []);
}

export function validateEndpointsUpdate(ep: Obj, old: Obj): FieldError[] {
  return validateSubsets(ep, old.subsets);
}
