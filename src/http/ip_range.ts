/**
 * IP addresses and CIDR ranges as 128-bit numbers: an IPv4 address is kept
 * in its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `127.0.0.1/8` matches
 * both `127.0.0.5` and `::ffff:127.0.0.5`, whichever form a socket reports.
 *
 * @module
 */

/** An address as a 128-bit number (IPv4 mapped into `::ffff:0:0/96`). */
export type IpAddress = bigint;

/** A CIDR range: the addresses whose first `bits` bits equal those of `base`. */
export interface IpRange {
  readonly base: IpAddress;
  /** Prefix length over 128 bits (an IPv4 `/n` is `96 + n`). */
  readonly bits: number;
  /** The range as written, for messages. */
  readonly text: string;
}

const V4_MAPPED = 0xffffn << 32n;
const V4_PART = /^(?:0|[1-9]\d{0,2})$/;
const V6_GROUP = /^[0-9a-f]{1,4}$/i;

/** An IPv4 dotted quad (no leading zeros), or `undefined`. */
function parseV4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!V4_PART.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** Eight groups from one side of `::`: hex groups, the last may be a dotted quad. */
function v6Groups(text: string, last: boolean): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  const parts = text.split(":");
  for (const [i, part] of parts.entries()) {
    if (last && i === parts.length - 1 && part.includes(".")) {
      const v4 = parseV4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (V6_GROUP.test(part)) groups.push(parseInt(part, 16));
    else return undefined;
  }
  return groups;
}

/** An IPv6 address (no zone), or `undefined`. */
function parseV6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = v6Groups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? v6Groups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/**
 * Parses an IPv4 or IPv6 address (IPv6 zone ids such as `%eth0` are dropped).
 *
 * @returns the address, or `undefined` when `text` is not one
 */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(":")) {
    const zone = text.indexOf("%");
    return parseV6(zone < 0 ? text : text.slice(0, zone));
  }
  const v4 = parseV4(text);
  return v4 === undefined ? undefined : V4_MAPPED | v4;
}

/** Whether `ip` is an IPv4 address (kept IPv4-mapped). */
export function isV4(ip: IpAddress): boolean {
  return ip >> 32n === 0xffffn;
}

/** The canonical text of an address: a dotted quad for IPv4, RFC 5952 form for IPv6. */
export function formatIp(ip: IpAddress): string {
  if (isV4(ip)) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip >> shift) & 0xffn)).join(".");
  }
  const groups = [...Array(8).keys()].map((i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (the first such run on a tie).
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

/**
 * Parses one range: an address (a range of one) or `address/prefix`. Bits
 * past the prefix are ignored, so `127.0.0.1/8` is `127.0.0.0/8`.
 *
 * @throws {RangeError} saying what is wrong (without the text)
 */
export function parseIpRange(text: string): IpRange {
  const [address, prefix, extra] = text.split("/");
  const base = parseIp(address ?? "");
  if (base === undefined || address!.includes("%")) {
    throw new RangeError("not an IP address or CIDR range");
  }
  const width = address!.includes(":") ? 128 : 32;
  let length = width;
  if (prefix !== undefined) {
    if (extra !== undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > width) {
      throw new RangeError(`bad prefix length: expected /0 to /${width}`);
    }
    length = Number(prefix);
  }
  const bits = 128 - width + length;
  return Object.freeze({ base: mask(base, bits), bits, text });
}

function mask(ip: IpAddress, bits: number): IpAddress {
  const shift = BigInt(128 - bits);
  return (ip >> shift) << shift;
}

/** Whether `ip` lies in any of `ranges`. */
export function inRanges(ip: IpAddress, ranges: readonly IpRange[]): boolean {
  return ranges.some((range) => mask(ip, range.bits) === range.base);
}
