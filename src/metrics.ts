/**
 * A small Prometheus registry: counters, gauges and histograms with labels,
 * rendered in the text exposition format.
 *
 * @module
 */

type Labels = Readonly<Record<string, string>>;

const NEEDS_ESCAPE = /[\\"\n]/;

function escapeLabel(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/** Renders labels as `{a="1",b="2"}`, in the order the caller gives them (callers are consistent). */
function labelKey(labels: Labels): string {
  let out = "";
  for (const name in labels) out += `${out ? "," : ""}${name}="${escapeLabel(labels[name]!)}"`;
  return out ? `{${out}}` : "";
}

interface Metric {
  render(): string;
}

/** A monotonically increasing counter. */
export class Counter implements Metric {
  readonly #values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}

  /** Adds `by` (default 1). */
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  /** The current value for `labels`. */
  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.#values) lines.push(`${this.name}${key} ${value}`);
    return lines.join("\n");
  }
}

/** A gauge read from a callback at render time. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly read: () => number,
    readonly type: "gauge" | "counter" = "gauge",
  ) {}

  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} ${this.type}`,
      `${this.name} ${this.read()}`,
    ].join("\n");
  }
}

/** A constant `1` whose labels carry the facts (`chat_build_info{version="…"} 1`). */
export class InfoGauge implements Metric {
  constructor(readonly name: string, readonly help: string, readonly labels: Labels) {}

  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      `${this.name}${labelKey(this.labels)} 1`,
    ].join("\n");
  }
}

/** A histogram with fixed buckets (seconds). */
export class Histogram implements Metric {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  ) {}

  /** Records one observation. */
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= this.buckets[i]!) series.counts[i]!++;
    }
    series.sum += value;
    series.count++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, series] of this.#series) {
      const inner = key ? key.slice(1, -1) + "," : "";
      this.buckets.forEach((le, i) => {
        lines.push(`${this.name}_bucket{${inner}le="${le}"} ${series.counts[i]}`);
      });
      lines.push(`${this.name}_bucket{${inner}le="+Inf"} ${series.count}`);
      lines.push(`${this.name}_sum${key} ${series.sum}`);
      lines.push(`${this.name}_count${key} ${series.count}`);
    }
    return lines.join("\n");
  }
}

/** A counter without labels, cheap enough for the per-frame path. */
export class PlainCounter implements Metric {
  value = 0;
  constructor(readonly name: string, readonly help: string) {}

  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      `${this.name} ${this.value}`,
    ]
      .join("\n");
  }
}

/** The server's metrics (per isolate). */
export class Metrics {
  readonly messagesIn = new PlainCounter("chat_messages_in_total", "Messages stored from clients");
  readonly framesOut = new PlainCounter(
    "chat_frames_out_total",
    "Frames written to sockets (history and live)",
  );
  readonly closes = new Counter(
    "chat_ws_closes_total",
    "WebSocket closes initiated by the server, by code and reason",
  );
  readonly connectsTotal = new Counter("chat_ws_connects_total", "WebSocket upgrades accepted");
  readonly httpRequests = new Counter(
    "http_requests_total",
    "HTTP requests by route, method and status",
  );
  readonly httpDuration = new Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route",
  );
  readonly storeAppend = new Histogram(
    "chat_message_store_seconds",
    "Time to store one message from a client",
  );
  readonly deliveryDelay = new Histogram(
    "chat_message_delivery_seconds",
    "From a message's createdAt to its in-order delivery on this isolate",
  );
  readonly #gauges: Metric[] = [];

  /** Adds a gauge read at render time. */
  gauge(name: string, help: string, read: () => number): void {
    this.#gauges.push(new Gauge(name, help, read));
  }

  /** Adds a counter kept elsewhere and read at render time. */
  counter(name: string, help: string, read: () => number): void {
    this.#gauges.push(new Gauge(name, help, read, "counter"));
  }

  /** Adds a constant `1` labelled with `labels` (build or version facts). */
  info(name: string, help: string, labels: Labels): void {
    this.#gauges.push(new InfoGauge(name, help, labels));
  }

  /** The Prometheus text exposition. */
  render(): string {
    return [
      ...this.#gauges,
      this.messagesIn,
      this.framesOut,
      this.connectsTotal,
      this.closes,
      this.httpRequests,
      this.httpDuration,
      this.storeAppend,
      this.deliveryDelay,
    ].map((m) => m.render()).join("\n") + "\n";
  }
}
