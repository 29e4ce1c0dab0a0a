/**
 * Accept-header negotiation. Clients ask for Tables (kubectl get), partial metadata
 * (garbage collector, `-o name` paths), aggregated discovery, or plain JSON/YAML; the
 * server picks the first of their choices it can produce, as upstream does.
 */

export interface MediaType {
  type: string;
  subtype: string;
  params: Record<string, string>;
}

export type Rendering =
  | { kind: 'object'; format: 'json' | 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1'; list: boolean }
  | { kind: 'discovery'; version: 'v2' | 'v2beta1' };

export function parseAccept(header: string | undefined): MediaType[] {
  if (header === undefined || header.trim() === '') return [{ type: '*', subtype: '*', params: {} }];
  const out: MediaType[] = [];
  for (const part of header.split(',')) {
    const [mt, ...ps] = part.split(';').map((s) => s.trim());
    if (mt === undefined || mt === '') continue;
    const [type, subtype] = mt.toLowerCase().split('/');
    if (type === undefined || subtype === undefined) continue;
    const params: Record<string, string> = {};
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
    }
    if (params.q === '0') continue;
    out.push({ type, subtype, params });
  }
  return out;
}

function isJSONish(m: MediaType): boolean {
  return (m.type === 'application' && (m.subtype === 'json' || m.subtype === '*')) || (m.type === '*' && m.subtype === '*');
}

/**
 * Chooses how to render a response. `allowed` says which special renderings the
 * endpoint supports. Returns undefined when nothing acceptable can be produced (406).
 */
export function negotiate(
  header: string | undefined,
  allowed: { table?: boolean; partial?: boolean; discovery?: boolean; list?: boolean },
): Rendering | undefined {
  for (const m of parseAccept(header)) {
    const as = m.params.as;
    if (as !== undefined) {
      if (!isJSONish(m)) continue;
      const g = m.params.g;
      const v = m.params.v;
      if (as === 'Table' && g === 'meta.k8s.io' && allowed.table && (v === 'v1' || v === 'v1beta1')) return { kind: 'table', version: v };
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io' && allowed.partial && (v === 'v1' || v === 'v1beta1')) {
        const wantList = as === 'PartialObjectMetadataList';
        if (wantList !== (allowed.list ?? false)) continue;
        return { kind: 'partial', version: v, list: wantList };
      }
      if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && allowed.discovery && (v === 'v2' || v === 'v2beta1')) return { kind: 'discovery', version: v };
      continue;
    }
    if (isJSONish(m)) return { kind: 'object', format: 'json' };
    if (m.type === 'application' && m.subtype === 'yaml') return { kind: 'object', format: 'yaml' };
  }
  return undefined;
}
