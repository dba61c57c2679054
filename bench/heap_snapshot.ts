/**
 * Reads a V8 heap snapshot (`.heapsnapshot` JSON) into counts and self sizes
 * per kind of object, so that two snapshots of one process (before and after
 * N sockets open) tell what each socket costs, structure by structure.
 *
 * Objects are keyed by constructor; plain objects (`Object`) also by their
 * property names, so a `{ member, lastSeq, queue }` is told apart from a
 * `{ user, batch, send }`; closures by function name and source location, a
 * closure's context by the closure that holds it; V8's internal kinds
 * (arrays, strings, code) by kind.
 *
 * @module
 */

/** The parts of a heap snapshot this module reads. */
export interface HeapSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
      location_fields?: string[];
    };
  };
  nodes: number[];
  edges: number[];
  locations?: number[];
  strings: string[];
}

/** One kind of object in a snapshot. */
export interface HeapKind {
  key: string;
  count: number;
  bytes: number;
}

/** How many property names identify a plain object's shape. */
const SHAPE_NAMES = 6;

/** Shortens a script URL to `src/…`, `bench/…` or `ext:…`. */
export function shortScript(url: string): string {
  for (const dir of ["/src/", "/bench/"]) {
    const at = url.indexOf(dir);
    if (at >= 0 && url.startsWith("file://")) return url.slice(at + 1);
  }
  const npm = url.indexOf("/npm/registry.npmjs.org/");
  if (npm >= 0) return `npm:${url.slice(npm + "/npm/registry.npmjs.org/".length)}`;
  return url;
}

/**
 * Counts and sizes every kind of object in a snapshot.
 *
 * @param scripts script id → URL (from `Debugger.scriptParsed`), to place closures
 */
export function summariseHeap(
  snap: HeapSnapshot,
  scripts: ReadonlyMap<string, string> = new Map(),
): Map<string, HeapKind> {
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf("type");
  const nameAt = meta.node_fields.indexOf("name");
  const sizeAt = meta.node_fields.indexOf("self_size");
  const edgeCountAt = meta.node_fields.indexOf("edge_count");
  const edgeTypeAt = meta.edge_fields.indexOf("type");
  const edgeNameAt = meta.edge_fields.indexOf("name_or_index");
  const toAt = meta.edge_fields.indexOf("to_node");
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const propertyEdge = edgeTypes.indexOf("property");
  const { nodes, edges, strings } = snap;

  // Closure locations: node index → "script:line".
  const where = new Map<number, string>();
  const lf = meta.location_fields ?? [];
  const locations = snap.locations ?? [];
  if (lf.length > 0) {
    const objectAt = lf.indexOf("object_index");
    const scriptAt = lf.indexOf("script_id");
    const lineAt = lf.indexOf("line");
    for (let i = 0; i < locations.length; i += lf.length) {
      const url = scripts.get(String(locations[i + scriptAt]));
      const at = url ? `${shortScript(url)}:${locations[i + lineAt]! + 1}` : "";
      where.set(locations[i + objectAt]!, at);
    }
  }

  // A closure's key, and which closure each closure context belongs to.
  const closureKey = (i: number) => {
    const name = strings[nodes[i + nameAt]!] ?? "";
    const at = where.get(i) ?? "";
    return `closure ${name || "(anonymous)"}${at ? ` ${at}` : ""}`;
  };
  const contextEdgeName = strings.indexOf("context");
  const contextOf = new Map<number, string>();
  {
    let e = 0;
    for (let i = 0; i < nodes.length; i += nf) {
      const edgeCount = nodes[i + edgeCountAt]!;
      if (nodeTypes[nodes[i + typeAt]!] === "closure") {
        for (let k = e; k < e + edgeCount * ef; k += ef) {
          if (edges[k + edgeNameAt] === contextEdgeName && edges[k + edgeTypeAt] !== propertyEdge) {
            const target = edges[k + toAt]!;
            if (!contextOf.has(target)) contextOf.set(target, closureKey(i));
          }
        }
      }
      e += edgeCount * ef;
    }
  }

  const out = new Map<string, HeapKind>();
  const add = (key: string, bytes: number) => {
    const kind = out.get(key);
    if (kind) {
      kind.count++;
      kind.bytes += bytes;
    } else out.set(key, { key, count: 1, bytes });
  };
  let edge = 0;
  for (let i = 0; i < nodes.length; i += nf) {
    const type = nodeTypes[nodes[i + typeAt]!] ?? "?";
    const name = strings[nodes[i + nameAt]!] ?? "";
    const bytes = nodes[i + sizeAt]!;
    const edgeCount = nodes[i + edgeCountAt]!;
    const firstEdge = edge;
    edge += edgeCount * ef;
    switch (type) {
      case "object": {
        if (name.startsWith("system / Context")) {
          const owner = contextOf.get(i);
          add(owner ? `context of ${owner}` : "context (no closure found)", bytes);
          break;
        }
        if (name !== "Object") {
          add(`object ${name}`, bytes);
          break;
        }
        const props: string[] = [];
        for (let e = firstEdge; e < edge && props.length < 32; e += ef) {
          if (edges[e + edgeTypeAt] === propertyEdge) {
            const prop = strings[edges[e + edgeNameAt]!] ?? "";
            if (prop !== "__proto__") props.push(prop);
          }
        }
        props.sort();
        const shape = props.slice(0, SHAPE_NAMES).join(", ") +
          (props.length > SHAPE_NAMES ? ", …" : "");
        add(`object Object {${shape}}`, bytes);
        break;
      }
      case "closure":
        add(closureKey(i), bytes);
        break;
      case "string":
      case "concatenated string":
      case "sliced string":
        add(`${type}`, bytes);
        break;
      case "hidden":
      case "array":
      case "native":
      case "synthetic":
        add(`${type} ${name}`, bytes);
        break;
      default:
        add(type, bytes);
    }
  }
  return out;
}

/** One kind's growth per socket between two snapshots. */
export interface KindDelta {
  key: string;
  /** Objects per socket. */
  count: number;
  /** Bytes per socket. */
  bytes: number;
}

/** Each kind's growth from `before` to `after`, per socket, largest first. */
export function perSocket(
  before: ReadonlyMap<string, HeapKind>,
  after: ReadonlyMap<string, HeapKind>,
  sockets: number,
): KindDelta[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const out: KindDelta[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    out.push({
      key,
      count: ((b?.count ?? 0) - (a?.count ?? 0)) / sockets,
      bytes: ((b?.bytes ?? 0) - (a?.bytes ?? 0)) / sockets,
    });
  }
  return out.sort((x, y) => y.bytes - x.bytes);
}

/** The total self size of a summary, in bytes. */
export function totalBytes(kinds: ReadonlyMap<string, HeapKind>): number {
  let n = 0;
  for (const kind of kinds.values()) n += kind.bytes;
  return n;
}
