/**
 * CIDR parsing for validation, IPv4 and IPv6, with the leniency of upstream's
 * netutils.ParseCIDRSloppy (leading zeros in IPv4 octets are accepted). The service-range
 * arithmetic in src/util/cidr.ts is IPv4-only and throws; validation needs both families
 * and an answer rather than an exception.
 */
import { isIPv6 } from 'node:net';

export interface CIDR {
  v6: boolean;
  prefix: number;
  /** The network address (host bits cleared). */
  network: bigint;
  /** The address as written (host bits kept), as Go's ParseCIDR returns it. */
  ip: { v6: boolean; value: bigint };
  contains(ip: { v6: boolean; value: bigint }): boolean;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  if (!isIPv6(s) || s.includes('%')) return undefined;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail is two 16-bit words.
    const v4 = parseIPv4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const words = (x: string): number[] => (x === '' ? [] : x.split(':').map((w) => parseInt(w, 16)));
  const gap = text.indexOf('::');
  let all: number[];
  if (gap < 0) all = words(text);
  else {
    const l = words(text.slice(0, gap));
    const r = words(text.slice(gap + 2));
    all = [...l, ...new Array<number>(Math.max(8 - l.length - r.length, 0)).fill(0), ...r];
  }
  if (all.length !== 8 || all.some((w) => Number.isNaN(w))) return undefined;
  return all.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

export function parseIP(s: string): { v6: boolean; value: bigint } | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = parseIPv6(s);
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

export function parseCIDR(s: string): CIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (ip === undefined || !/^[0-9]{1,3}$/.test(bits)) return undefined;
  const width = ip.v6 ? 128 : 32;
  const prefix = Number(bits);
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  return {
    v6: ip.v6,
    prefix,
    network,
    ip,
    contains(other) {
      return other.v6 === ip.v6 && (other.value >> hostBits) << hostBits === network;
    },
  };
}
