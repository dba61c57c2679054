/**
 * `/metrics` reports the process (memory, heap, start time, CPU) and the
 * build (`chat_build_info`), read afresh at every scrape.
 *
 * @module
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { startServer } from "../_helpers/server.ts";

/** Every sample of a Prometheus text page, by series, and the `# TYPE` of each name. */
function parse(text: string): { samples: Map<string, number>; types: Map<string, string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { samples, types };
}

async function scrape(url: string) {
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  return parse(await response.text());
}

Deno.test("/metrics reports the process's memory, heap, start time and CPU seconds", async () => {
  await using server = await startServer();
  const before = Date.now() / 1000;
  const { samples, types } = await scrape(server.url);

  const rss = samples.get("process_resident_memory_bytes");
  assert.ok(rss !== undefined && rss > 1024 * 1024, `rss ${rss}`);
  assert.equal(types.get("process_resident_memory_bytes"), "gauge");
  const heap = samples.get("process_heap_bytes");
  assert.ok(heap !== undefined && heap > 0 && heap < rss, `heap ${heap}`);
  assert.equal(types.get("process_heap_bytes"), "gauge");

  const started = samples.get("process_start_time_seconds");
  assert.ok(started !== undefined && started > 1.6e9 && started <= before, `start ${started}`);

  const cpu = samples.get("process_cpu_seconds_total");
  assert.ok(cpu !== undefined && cpu > 0, `cpu ${cpu}`);
  assert.equal(types.get("process_cpu_seconds_total"), "counter");
  // Work done between scrapes shows: CPU only grows, the start time stays.
  let spin = 0;
  for (let i = 0; i < 5_000_000; i++) spin += i % 3;
  assert.ok(spin > 0);
  const later = (await scrape(server.url)).samples;
  assert.ok(later.get("process_cpu_seconds_total")! > cpu, "CPU seconds grow");
  assert.equal(later.get("process_start_time_seconds"), started);
});

Deno.test("/metrics has chat_build_info with the server's, Deno's, V8's and TypeScript's versions", async () => {
  await using server = await startServer();
  const { samples, types } = await scrape(server.url);
  const { deno, v8, typescript } = Deno.version;
  const series = `chat_build_info{version="${denoJson.version}",deno="${deno}",v8="${v8}",` +
    `typescript="${typescript}"}`;
  assert.equal(samples.get(series), 1, [...samples.keys()].join("\n"));
  assert.equal(types.get("chat_build_info"), "gauge");
});
