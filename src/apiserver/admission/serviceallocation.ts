/**
 * ServiceAllocation: ClusterIP and NodePort allocation for Services, as upstream's
 * service REST storage does it (pkg/registry/core/service/storage/alloc.go with the
 * ipallocator and portallocator packages), done here as a mutating admission plugin
 * because our registry pipeline is generic.
 *
 * What it does (facts kept from upstream):
 * - CREATE of a Service of type ClusterIP, NodePort or LoadBalancer (a missing type
 *   is ClusterIP) without a clusterIP gets a free IP of --service-cluster-ip-range;
 *   spec.clusterIP and spec.clusterIPs are set, ipFamilies/ipFamilyPolicy default to
 *   ["IPv4"]/SingleStack. The network and broadcast addresses are never valid.
 *   Dynamic picks start at a random point of the upper part of the range and use the
 *   lower band (min(max(16, size/16), 256) addresses, KEP-3070) only when the upper
 *   part is full, so the lower band is kept for static addresses: the `kubernetes`
 *   Service takes the first one, and a dynamic pick never takes that first address.
 * - "None" (headless) is left alone (clusterIPs becomes ["None"]); ExternalName gets
 *   nothing. An explicitly asked-for IP is honoured when it is inside the range and
 *   free, else 422 "failed to allocate IP <ip>: ..." on spec.clusterIPs.
 * - NodePort and LoadBalancer ports without a nodePort get a free one from
 *   --service-node-port-range (same two-band pick: min(max(16, size/32), 128) ports
 *   at the bottom, KEP-3668); service ports with the same port number (TCP+UDP)
 *   share one node port; explicit ones are honoured or refused on
 *   spec.ports[i].nodePort. A LoadBalancer with allocateLoadBalancerNodePorts=false
 *   gets none (explicit ones are still honoured). A LoadBalancer with
 *   externalTrafficPolicy Local gets a healthCheckNodePort from the same range.
 *   Node ports are one pool for all protocols, as upstream.
 * - UPDATE: values the client left out are carried over from the old object
 *   (clusterIP(s); nodePorts by port name; healthCheckNodePort), as upstream's
 *   PrepareForUpdate; values a type change makes pointless are dropped when the
 *   client did not change them (NodePort -> ClusterIP drops nodePorts, which releases
 *   them; anything -> ExternalName drops clusterIPs); spec.clusterIPs[0] may not
 *   change once set; ExternalName -> ClusterIP and ClusterIP -> NodePort allocate.
 *
 * Where allocations live: nowhere of their own. Each admission lists the current
 * Services (opts.listServices, which must be a consistent read) and treats every
 * clusterIP and nodePort found there as held, so deleting a Service releases its
 * values and they may be handed out again (upstream reuses too). Between admission
 * and the object becoming visible in that list a value is kept in an in-process
 * reservation (dropped once the list shows it, or after reservationTTLMs when the
 * write failed), and one mutex per plugin serializes allocations: two concurrent
 * creates never get the same IP or port. This is sound because one API server
 * process is the only writer. Several API servers over one etcd (HA) would need a
 * stored allocator, such as upstream's IPAddress / ServiceCIDR objects (KEP-1880)
 * or its bitmap-in-etcd RangeAllocation: not done yet.
 *
 * Not done: dual-stack (a secondary family is refused as "not configured on this
 * cluster"), IPv6 service ranges, the allocator metrics.
 */
import { errors, field, type FieldError } from '../../apimachinery/errors.js';
import { formatIPv4, parseCIDR, parseIPv4, type CIDR } from '../../util/cidr.js';
import type { KObject } from '../registry/strategy.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';
import { formatPortRange, parsePortRange, pickFree, portRangeContains, staticBandSize, type PortRange } from './portrange.js';

export interface ServiceAllocationOptions {
  /** --service-cluster-ip-range (10.96.0.0/12). IPv4 only. */
  serviceCIDR?: string;
  /** --service-node-port-range (30000-32767). */
  nodePortRange?: string;
  /** Every Service in every namespace, read consistently (not from a stale cache). */
  listServices(): Promise<KObject[]>;
  /** How long a value handed out stays reserved when its Service never shows up (60 s). */
  reservationTTLMs?: number;
  /** Injected for tests: [0, 1). */
  random?: () => number;
  /** Injected for tests: milliseconds. */
  now?: () => number;
}

const SERVICE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

type Spec = Record<string, any>;

interface Reservation {
  owner: string;
  expires: number;
}

/** Runs callbacks one at a time, in arrival order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function specOf(obj: KObject | undefined): Spec | undefined {
  const s = obj?.spec as unknown;
  return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Spec) : undefined;
}

function typeOf(spec: Spec | undefined): string {
  const t = spec?.['type'] as unknown;
  return typeof t === 'string' && t !== '' ? t : 'ClusterIP';
}

function needsClusterIP(spec: Spec | undefined): boolean {
  return typeOf(spec) !== 'ExternalName';
}

function needsNodePorts(spec: Spec | undefined): boolean {
  const t = typeOf(spec);
  return t === 'NodePort' || t === 'LoadBalancer';
}

function shouldAllocateNodePorts(spec: Spec): boolean {
  const t = typeOf(spec);
  if (t === 'NodePort') return true;
  return t === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] !== false;
}

function needsHealthCheckNodePort(spec: Spec | undefined): boolean {
  return typeOf(spec) === 'LoadBalancer' && spec?.['externalTrafficPolicy'] === 'Local';
}

function clusterIPsOf(spec: Spec | undefined): string[] {
  const ips = spec?.['clusterIPs'] as unknown;
  if (Array.isArray(ips)) return ips.filter((x): x is string => typeof x === 'string');
  const ip = spec?.['clusterIP'] as unknown;
  return typeof ip === 'string' && ip !== '' ? [ip] : [];
}

function isHeadless(spec: Spec | undefined): boolean {
  return clusterIPsOf(spec)[0] === 'None';
}

function portsOf(spec: Spec | undefined): Record<string, any>[] {
  const ps = spec?.['ports'] as unknown;
  return Array.isArray(ps) ? ps.filter((p): p is Record<string, any> => typeof p === 'object' && p !== null && !Array.isArray(p)) : [];
}

function nodePortOf(p: Record<string, any>): number {
  const n = p['nodePort'] as unknown;
  return typeof n === 'number' && Number.isInteger(n) ? n : 0;
}

function healthCheckNodePortOf(spec: Spec | undefined): number {
  const n = spec?.['healthCheckNodePort'] as unknown;
  return typeof n === 'number' && Number.isInteger(n) ? n : 0;
}

/** Every node port a Service holds: its ports' nodePorts and its healthCheckNodePort. */
function nodePortsHeld(spec: Spec | undefined): number[] {
  const out = portsOf(spec).map(nodePortOf).filter((n) => n !== 0);
  const hc = healthCheckNodePortOf(spec);
  if (hc !== 0) out.push(hc);
  return out;
}

function sameArray(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function tryParseIPv4(ip: string): number | undefined {
  try {
    return parseIPv4(ip);
  } catch {
    return undefined;
  }
}

export class ServiceAllocation implements AdmissionPlugin {
  readonly name = 'ServiceAllocation';
  readonly serviceCIDR: string;
  readonly nodePortRange: string;
  private readonly cidr: CIDR;
  /** Allocatable IPs are cidr.base + 1 + offset, offset in [0, ipMax). */
  private readonly ipMax: number;
  private readonly ipBand: number;
  private readonly ports: PortRange;
  private readonly portBand: number;
  private readonly ttl: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly list: () => Promise<KObject[]>;
  private readonly mutex = new Mutex();
  private readonly pendingIPs = new Map<number, Reservation>();
  private readonly pendingPorts = new Map<number, Reservation>();

  constructor(opts: ServiceAllocationOptions) {
    if (typeof opts.listServices !== 'function') throw new Error('ServiceAllocation: listServices is required');
    this.serviceCIDR = opts.serviceCIDR ?? '10.96.0.0/12';
    this.nodePortRange = opts.nodePortRange ?? '30000-32767';
    try {
      this.cidr = parseCIDR(this.serviceCIDR);
    } catch (e) {
      throw new Error(`--service-cluster-ip-range: ${(e as Error).message}`);
    }
    if (this.cidr.size < 4) throw new Error(`--service-cluster-ip-range: "${this.serviceCIDR}" is too small`);
    if (this.cidr.bits < 12) throw new Error(`--service-cluster-ip-range: "${this.serviceCIDR}" is too large (the largest allowed is a /12)`);
    this.ipMax = this.cidr.size - 2; // no network, no broadcast address
    this.ipBand = staticBandSize(this.cidr.size, 16, 256, 16);
    try {
      this.ports = parsePortRange(this.nodePortRange);
    } catch (e) {
      throw new Error(`--service-node-port-range: ${(e as Error).message}`);
    }
    this.portBand = staticBandSize(this.ports.size, 16, 128, 32);
    this.ttl = opts.reservationTTLMs ?? 60_000;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.list = opts.listServices;
  }

  /** The address the `kubernetes` Service takes: the first one of the range. */
  get kubernetesServiceIP(): string {
    return formatIPv4(this.cidr.base + 1);
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    if (a.resource.group !== '' || a.resource.resource !== 'services' || a.subresource !== '') return;
    const spec = specOf(a.object);
    if (spec === undefined) return; // validation reports it
    if (!SERVICE_TYPES.has(typeOf(spec))) return; // validation reports it
    await this.mutex.run(() => this.allocate(a, spec));
  }

  private async allocate(a: AdmissionAttributes, spec: Spec): Promise<void> {
    const old = a.operation === 'UPDATE' ? specOf(a.oldObject) : undefined;
    const own = a.operation === 'UPDATE' ? `${a.namespace}/${a.name}` : undefined;
    normalizeClusterIPs(spec);
    if (old !== undefined) {
      carryOver(spec, old);
      dropTypeDependent(spec, old);
    }
    const book = await this.snapshot(own);
    const fail = (errs: FieldError[]): never => {
      throw errors.invalid('', 'Service', a.name, errs);
    };

    if (needsClusterIP(spec)) {
      const oldIPs = old !== undefined && needsClusterIP(old) ? clusterIPsOf(old) : [];
      if (oldIPs.length > 0 && !(isHeadless(old) && isHeadless(spec))) {
        const newIPs = clusterIPsOf(spec);
        const errs = immutableClusterIPs(oldIPs, newIPs);
        if (errs.length > 0) fail(errs);
        if (spec['clusterIP'] !== newIPs[0]) fail([field.invalid('spec.clusterIPs', newIPs, 'element [0] must match clusterIP')]);
        // Unchanged primary: nothing to allocate (a secondary family is not served).
        if (newIPs.length > 1) fail([field.invalid('spec.clusterIPs[1]', newIPs, `${String(newIPs[1]).includes(':') ? 'IPv6' : 'IPv4'} is not configured on this cluster`)]);
      } else {
        this.allocateClusterIP(spec, book, fail);
      }
    }

    if (needsNodePorts(spec)) {
      const oldPorts = new Set(old !== undefined ? nodePortsHeld(old) : []);
      this.allocateNodePorts(spec, book, oldPorts, fail);
    }
    if (needsHealthCheckNodePort(spec)) {
      const oldHC = old !== undefined && needsHealthCheckNodePort(old) ? healthCheckNodePortOf(old) : 0;
      const hc = healthCheckNodePortOf(spec);
      if (hc === 0) {
        const p = book.nextPort();
        if (p === undefined) throw errors.internal('failed to allocate a HealthCheck NodePort 0: range is full');
        spec['healthCheckNodePort'] = p;
      } else if (hc !== oldHC) {
        const why = book.portProblem(hc);
        if (why !== undefined) throw errors.internal(`failed to allocate requested HealthCheck NodePort ${hc}: ${why}`);
        book.claimPort(hc);
      }
    }

    if (!a.dryRun) this.reserve(book, `${a.namespace}/${a.name}`);
  }

  private allocateClusterIP(spec: Spec, book: Book, fail: (errs: FieldError[]) => never): void {
    const given = typeof spec['clusterIP'] === 'string' ? (spec['clusterIP'] as string) : '';
    let ips = Array.isArray(spec['clusterIPs']) ? (spec['clusterIPs'] as unknown[]) : [];
    if (ips.length === 0 && given !== '') ips = [given];
    if (given !== '' && ips[0] !== given) fail([field.invalid('spec.clusterIPs', ips, 'element [0] must match clusterIP')]);
    if (ips[0] === 'None') {
      spec['clusterIP'] = 'None';
      spec['clusterIPs'] = ips;
      return;
    }
    const policy = spec['ipFamilyPolicy'] as unknown;
    if (policy === 'RequireDualStack') fail([field.invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services')]);
    const families = Array.isArray(spec['ipFamilies']) ? (spec['ipFamilies'] as unknown[]) : [];
    const badFamily = families.findIndex((f) => f !== 'IPv4');
    if (badFamily >= 0) fail([field.invalid(`spec.ipFamilies[${badFamily}]`, families[badFamily], 'not configured on this cluster')]);
    if (ips.length > 1) {
      if (policy === undefined || policy === null || policy === 'SingleStack') {
        fail([field.invalid('spec.ipFamilyPolicy', policy ?? 'SingleStack', "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified")]);
      }
      const fam = String(ips[1]).includes(':') ? 'IPv6' : 'IPv4';
      fail([field.invalid('spec.clusterIPs[1]', ips, `${fam} is not configured on this cluster`)]);
    }
    const want = ips[0];
    let ip: string;
    if (want === undefined || want === '') {
      const n = book.nextIP();
      if (n === undefined) throw errors.internal('failed to allocate a serviceIP: range is full');
      ip = formatIPv4(n);
    } else {
      if (typeof want !== 'string') fail([field.invalid('spec.clusterIPs[0]', want, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]);
      const s = want as string;
      if (s.includes(':')) fail([field.invalid('spec.clusterIPs[0]', ips, 'IPv6 is not configured on this cluster')]);
      const n = tryParseIPv4(s);
      if (n === undefined) fail([field.invalid('spec.clusterIPs[0]', s, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]);
      const why = book.ipProblem(n!);
      if (why !== undefined) fail([field.invalid('spec.clusterIPs', ips, `failed to allocate IP ${s}: ${why}`)]);
      book.claimIP(n!);
      ip = formatIPv4(n!);
    }
    spec['clusterIP'] = ip;
    spec['clusterIPs'] = [ip];
    if (families.length === 0) spec['ipFamilies'] = ['IPv4'];
    if (policy === undefined || policy === null) spec['ipFamilyPolicy'] = 'SingleStack';
  }

  private allocateNodePorts(spec: Spec, book: Book, oldPorts: Set<number>, fail: (errs: FieldError[]) => never): void {
    const ports = portsOf(spec);
    const allocate = shouldAllocateNodePorts(spec);
    const bySvcPort = new Map<unknown, number>();
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      let np = nodePortOf(p);
      if (np === 0 && !allocate) return; // no new ports, but explicit ones are honoured
      const svcPort = p['port'] as unknown;
      const shared = bySvcPort.get(svcPort);
      if (np === 0 && shared !== undefined) {
        np = shared;
      } else if (np === 0) {
        // The first explicit nodePort asked for on a later port of the same number.
        const later = ports.slice(i + 1).find((q) => q['port'] === svcPort && nodePortOf(q) !== 0);
        np = later !== undefined ? nodePortOf(later) : 0;
        if (np !== 0) {
          this.claimExplicitPort(book, np, oldPorts, ports.indexOf(later!), fail);
        } else {
          const next = book.nextPort();
          if (next === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
          np = next;
        }
      } else if (np !== shared) {
        this.claimExplicitPort(book, np, oldPorts, i, fail);
      }
      p['nodePort'] = np;
      if (!bySvcPort.has(svcPort)) bySvcPort.set(svcPort, np);
      const key = `${String(p['protocol'] ?? 'TCP')}/${np}`;
      if (seen.has(key)) fail([field.duplicate(`spec.ports[${i}].nodePort`, np)]);
      seen.add(key);
    });
  }

  private claimExplicitPort(book: Book, np: number, oldPorts: Set<number>, i: number, fail: (errs: FieldError[]) => never): void {
    if (oldPorts.has(np) || book.claimedPorts.has(np)) return; // kept from before, or shared in this request
    const why = book.portProblem(np);
    if (why !== undefined) fail([field.invalid(`spec.ports[${i}].nodePort`, np, why)]);
    book.claimPort(np);
  }

  /** What is held right now: every listed Service's values plus live reservations. */
  private async snapshot(own: string | undefined): Promise<Book> {
    const services = await this.list();
    const ipHolders = new Map<number, string>();
    const portHolders = new Map<number, string>();
    for (const svc of services) {
      const key = `${String(svc.metadata?.namespace ?? '')}/${String(svc.metadata?.name ?? '')}`;
      const spec = specOf(svc);
      for (const ip of clusterIPsOf(spec)) {
        const n = tryParseIPv4(ip);
        if (n !== undefined) ipHolders.set(n, key);
      }
      for (const p of nodePortsHeld(spec)) portHolders.set(p, key);
    }
    const now = this.now();
    for (const [pending, holders] of [
      [this.pendingIPs, ipHolders],
      [this.pendingPorts, portHolders],
    ] as const) {
      for (const [v, r] of pending) {
        if (r.expires <= now || holders.has(v)) pending.delete(v);
        else holders.set(v, r.owner);
      }
    }
    return new Book(this, ipHolders, portHolders, own);
  }

  private reserve(book: Book, owner: string): void {
    const expires = this.now() + this.ttl;
    for (const n of book.claimedIPs) this.pendingIPs.set(n, { owner, expires });
    for (const p of book.claimedPorts) this.pendingPorts.set(p, { owner, expires });
  }

  /** @internal for Book */
  ipRange(): { base: number; max: number; band: number; cidr: string } {
    return { base: this.cidr.base + 1, max: this.ipMax, band: this.ipBand, cidr: this.serviceCIDR };
  }

  /** @internal for Book */
  portRange(): { range: PortRange; band: number } {
    return { range: this.ports, band: this.portBand };
  }

  /** @internal for Book */
  rand(): number {
    return this.random();
  }
}

/** One admission's view of held values and what it claimed on top. */
class Book {
  readonly claimedIPs = new Set<number>();
  readonly claimedPorts = new Set<number>();
  constructor(
    private readonly alloc: ServiceAllocation,
    private readonly ipHolders: Map<number, string>,
    private readonly portHolders: Map<number, string>,
    private readonly own: string | undefined,
  ) {}

  private heldByOther(holders: Map<number, string>, v: number): boolean {
    const h = holders.get(v);
    return h !== undefined && h !== this.own;
  }

  ipProblem(n: number): string | undefined {
    const r = this.alloc.ipRange();
    const off = n - r.base;
    if (off < 0 || off >= r.max) return `the provided IP (${formatIPv4(n)}) is not in the valid range. The range of valid IPs is ${r.cidr}`;
    if (this.claimedIPs.has(n) || this.heldByOther(this.ipHolders, n)) return 'provided IP is already allocated';
    return undefined;
  }

  claimIP(n: number): void {
    this.claimedIPs.add(n);
  }

  /** A free IP, never the first address (the kubernetes Service's). */
  nextIP(): number | undefined {
    const r = this.alloc.ipRange();
    const off = pickFree(r.max, r.band, (o) => o === 0 || this.claimedIPs.has(r.base + o) || this.ipHolders.has(r.base + o), () => this.alloc.rand());
    if (off === undefined) return undefined;
    this.claimedIPs.add(r.base + off);
    return r.base + off;
  }

  portProblem(p: number): string | undefined {
    const { range } = this.alloc.portRange();
    if (!portRangeContains(range, p)) return `provided port is not in the valid range. The range of valid ports is ${formatPortRange(range)}`;
    if (this.claimedPorts.has(p) || this.heldByOther(this.portHolders, p)) return 'provided port is already allocated';
    return undefined;
  }

  claimPort(p: number): void {
    this.claimedPorts.add(p);
  }

  nextPort(): number | undefined {
    const { range, band } = this.alloc.portRange();
    const off = pickFree(range.size, band, (o) => this.claimedPorts.has(range.base + o) || this.portHolders.has(range.base + o), () => this.alloc.rand());
    if (off === undefined) return undefined;
    this.claimedPorts.add(range.base + off);
    return range.base + off;
  }
}

/**
 * The v1 API carries the primary address twice; as upstream's conversion does, a
 * missing clusterIPs is taken from clusterIP and a missing clusterIP from clusterIPs[0].
 */
function normalizeClusterIPs(spec: Spec): void {
  const ip = spec['clusterIP'] as unknown;
  const ips = spec['clusterIPs'] as unknown;
  const hasIPs = Array.isArray(ips) && ips.length > 0;
  if (typeof ip === 'string' && ip !== '' && !hasIPs) spec['clusterIPs'] = [ip];
  else if ((ip === undefined || ip === null || ip === '') && hasIPs && typeof ips[0] === 'string') spec['clusterIP'] = ips[0];
}

/** spec.clusterIPs may grow or shrink (dual-stack), but the primary never changes. */
function immutableClusterIPs(oldIPs: string[], newIPs: string[]): FieldError[] {
  if (newIPs.length === 0) return [field.invalid('spec.clusterIPs[0]', newIPs, 'primary clusterIP can not be unset')];
  if (oldIPs.length === newIPs.length) {
    return oldIPs.flatMap((ip, i) => (ip !== newIPs[i] ? [field.invalid(`spec.clusterIPs[${i}]`, newIPs, 'may not change once set')] : []));
  }
  return newIPs[0] !== oldIPs[0] ? [field.invalid('spec.clusterIPs[0]', newIPs, 'may not change once set')] : [];
}

/** Upstream's patchAllocatedValues: an update that leaves allocated values out keeps them. */
function carryOver(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    const oldIPs = clusterIPsOf(old);
    if ((spec['clusterIP'] === undefined || spec['clusterIP'] === '') && oldIPs.length > 0) {
      const cur = Array.isArray(spec['clusterIPs']) ? (spec['clusterIPs'] as unknown[]) : [];
      spec['clusterIP'] = cur.length > 0 ? cur[0] : oldIPs[0];
    }
    if ((!Array.isArray(spec['clusterIPs']) || (spec['clusterIPs'] as unknown[]).length === 0) && oldIPs.length > 0) {
      spec['clusterIPs'] = [...oldIPs];
    }
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const oldUsed = new Set(portsOf(old).map(nodePortOf));
    const used = new Set(portsOf(spec).map(nodePortOf).filter((n) => oldUsed.has(n)));
    const byName = new Map<unknown, number>();
    for (const p of portsOf(old)) byName.set(p['name'] ?? '', nodePortOf(p));
    for (const p of portsOf(spec)) {
      if (nodePortOf(p) !== 0) continue;
      const v = byName.get(p['name'] ?? '') ?? 0;
      if (v !== 0 && !used.has(v)) p['nodePort'] = v;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(spec) && healthCheckNodePortOf(spec) === 0) {
    const v = healthCheckNodePortOf(old);
    if (v !== 0) spec['healthCheckNodePort'] = v;
  }
}

/** Upstream's dropTypeDependentFields: a type change drops values it made pointless, unless the client changed them. */
function dropTypeDependent(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && !needsClusterIP(spec) && sameArray(clusterIPsOf(old), clusterIPsOf(spec))) {
    delete spec['clusterIP'];
    delete spec['clusterIPs'];
    delete spec['ipFamilies'];
    delete spec['ipFamilyPolicy'];
  }
  if (needsNodePorts(old) && !needsNodePorts(spec) && sameArray(portsOf(old).map(nodePortOf), portsOf(spec).map(nodePortOf))) {
    for (const p of portsOf(spec)) delete p['nodePort'];
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(spec) && healthCheckNodePortOf(old) === healthCheckNodePortOf(spec)) {
    delete spec['healthCheckNodePort'];
  }
}
