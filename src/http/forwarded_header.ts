/**
 * The syntax of forwarding headers: RFC 7239 `Forwarded` elements, and the
 * node names (`192.0.2.1`, `"[2001:db8::1]:4711"`, `unknown`) that both
 * `Forwarded: for=` and `X-Forwarded-For` entries hold.
 *
 * @module
 */
import { type IpAddress, parseIp } from "./ip_range.ts";

/** One `Forwarded` element: its parameters by lower-cased name, quotes removed. */
export type ForwardedElement = Readonly<Record<string, string>>;

const TOKEN_CHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

/**
 * Parses a `Forwarded` header (several header lines joined with commas are fine).
 *
 * @returns the elements in order (the nearest proxy's last), or `undefined`
 *   when the header is malformed: then none of it can be relied on
 */
export function parseForwarded(header: string): ForwardedElement[] | undefined {
  const elements: ForwardedElement[] = [];
  let pairs: Record<string, string> = {};
  let i = 0;
  const skipSpace = () => {
    while (header[i] === " " || header[i] === "\t") i++;
  };
  const token = () => {
    const start = i;
    while (i < header.length && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  while (true) {
    skipSpace();
    if (i < header.length && header[i] !== "," && header[i] !== ";") {
      const name = token().toLowerCase();
      if (!name || header[i] !== "=") return undefined;
      i++;
      let value: string;
      if (header[i] === '"') {
        value = "";
        for (i++; header[i] !== '"'; i++) {
          if (i >= header.length) return undefined;
          if (header[i] === "\\") i++;
          if (i >= header.length) return undefined;
          value += header[i];
        }
        i++;
      } else {
        value = token();
        if (!value) return undefined;
      }
      // A repeated parameter makes the element ambiguous.
      if (Object.hasOwn(pairs, name)) return undefined;
      pairs[name] = value;
      skipSpace();
    }
    if (i >= header.length || header[i] === ",") {
      elements.push(Object.freeze(pairs));
      pairs = {};
      if (i >= header.length) return elements;
    } else if (header[i] !== ";") return undefined;
    i++;
  }
}

/**
 * The address a node names: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]`,
 * `[2001:db8::1]:4711` or a bare `2001:db8::1`.
 *
 * @returns `undefined` for `unknown`, an obfuscated `_name`, or anything else
 */
export function parseNode(text: string): IpAddress | undefined {
  const node = text.trim();
  if (node.startsWith("[")) {
    const end = node.indexOf("]");
    const rest = node.slice(end + 1);
    if (end < 0 || (rest !== "" && !/^:[0-9A-Za-z._]+$/.test(rest))) return undefined;
    const inner = node.slice(1, end);
    return inner.includes(":") ? parseIp(inner) : undefined;
  }
  const colon = node.indexOf(":");
  if (colon >= 0 && colon === node.lastIndexOf(":")) {
    // IPv4 with a port.
    return /^[0-9A-Za-z._]+$/.test(node.slice(colon + 1))
      ? parseIp(node.slice(0, colon))
      : undefined;
  }
  return parseIp(node);
}
