/**
 * Pod addresses for one node, as host-local IPAM hands them out: from the node's
 * podCIDR when it has one, else from a fake per-node /24 between 10.244.0.0 and 10.255.255.0. The network
 * address, the gateway (.1) and the broadcast address are never handed out; an
 * address is reused only after it was released and the rest of the range was used.
 */
import { formatIPv4, parseCIDR } from '../util/cidr.js';

export class PodIPAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly byOwner = new Map<string, number>();
  private readonly used = new Set<number>();
  private cursor = 2;

  constructor(readonly cidr: string) {
    const c = parseCIDR(cidr);
    if (c.size < 4) throw new Error(`pod CIDR ${cidr} is too small`);
    this.base = c.base;
    this.size = c.size;
  }

  /** The address of owner (a pod UID), allocating one; undefined when the range is full. */
  allocate(owner: string): string | undefined {
    const have = this.byOwner.get(owner);
    if (have !== undefined) return formatIPv4(this.base + have);
    const usable = this.size - 3;
    if (this.used.size >= usable) return undefined;
    for (let i = 0; i < usable; i++) {
      const off = this.cursor;
      this.cursor = this.cursor + 1 >= this.size - 1 ? 2 : this.cursor + 1;
      if (this.used.has(off)) continue;
      this.used.add(off);
      this.byOwner.set(owner, off);
      return formatIPv4(this.base + off);
    }
    return undefined;
  }

  /** Marks an address as taken by owner (after a restart, from the pod's status); false when outside the range or taken. */
  claim(owner: string, ip: string): boolean {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
    if (m === null) return false;
    const n = ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]);
    const off = n - this.base;
    if (off < 2 || off >= this.size - 1 || this.used.has(off)) return this.byOwner.get(owner) === off;
    this.release(owner);
    this.used.add(off);
    this.byOwner.set(owner, off);
    return true;
  }

  release(owner: string): void {
    const off = this.byOwner.get(owner);
    if (off === undefined) return;
    this.byOwner.delete(owner);
    this.used.delete(off);
  }

  get allocated(): number {
    return this.used.size;
  }
}

/** Fake /24s available from 10.244.0.0 to 10.255.255.0. */
export const FAKE_POD_SUBNETS = (256 - 244) * 256;

/** The fake /24 of the index-th node: 10.244.0.0/24, 10.244.1.0/24, ... wrapping after 3072 nodes. */
export function fakePodSubnet(index: number): string {
  const block = ((index % FAKE_POD_SUBNETS) + FAKE_POD_SUBNETS) % FAKE_POD_SUBNETS;
  return `${formatIPv4(((10 * 256 + 244) * 256) * 256 + block * 256)}/24`;
}

/** A stable index for a node name (FNV-1a), for fakePodSubnet when the caller has none. */
export function nodeNameIndex(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % FAKE_POD_SUBNETS;
}
