/**
 * IPv4 CIDR arithmetic for the service range: the kubernetes Service takes the first
 * address after the network address, as upstream.
 */
export function parseIPv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export interface CIDR {
  base: number;
  bits: number;
  size: number;
}

export function parseCIDR(cidr: string): CIDR {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
  if (m === null) throw new Error(`invalid CIDR "${cidr}"`);
  const bits = Number(m[2]);
  if (bits > 32) throw new Error(`invalid CIDR "${cidr}"`);
  const size = 2 ** (32 - bits);
  const base = Math.floor(parseIPv4(m[1]!) / size) * size;
  return { base, bits, size };
}

export function firstServiceIP(cidr: string): string {
  const c = parseCIDR(cidr);
  if (c.size < 4) throw new Error(`service CIDR "${cidr}" is too small`);
  return formatIPv4(c.base + 1);
}
