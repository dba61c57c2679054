import assert from "node:assert/strict";
import { type Bus, createBroadcastChannelBus, createMemoryBus } from "../../src/realtime/bus.ts";
import { busContract, busMessage, type BusNetwork, type BusNode } from "./bus_contract.ts";

/** A network whose nodes are made by `make`, all closed on dispose. */
function network(make: (foreign: boolean) => Bus): BusNetwork {
  const buses: Bus[] = [];
  const open = (foreign: boolean): Promise<BusNode> => {
    const bus = make(foreign);
    buses.push(bus);
    // Neither bus subscribes anywhere but in this isolate.
    return Promise.resolve({ bus, settled: () => Promise.resolve() });
  };
  return {
    node: () => open(false),
    foreign: () => open(true),
    [Symbol.asyncDispose]() {
      for (const bus of buses) bus.close();
      return Promise.resolve();
    },
  };
}

busContract("memory bus", () => Promise.resolve(network(() => createMemoryBus())), {
  crossesNodes: false,
});

busContract("BroadcastChannel bus", () => {
  const name = `chat-test-${crypto.randomUUID()}`;
  return Promise.resolve(
    network((foreign) => createBroadcastChannelBus(foreign ? `${name}-other` : name)),
  );
}, { crossesNodes: true });

Deno.test("memory bus: two memory buses never reach each other", () => {
  const one = createMemoryBus();
  const two = createMemoryBus();
  const heard: number[] = [];
  two.subscribe("lobby", (m) => heard.push(m.seq));
  one.publish(busMessage("lobby", 1));
  assert.deepEqual(heard, []);
  one.close();
  two.close();
});
