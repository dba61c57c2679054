/**
 * The contract's list of error types against the server's source: every
 * `error.type` the server constructs is listed with the status it is thrown
 * with, and every listed type is thrown somewhere.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ERROR_TYPES, type ErrorType, fixedStatus, isErrorType } from "../../src/contract/mod.js";

const SRC = new URL("../../src/", import.meta.url);

async function serverSources(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        out.set(url.pathname.slice(SRC.pathname.length), await Deno.readTextFile(url));
      }
    }
  };
  await walk(SRC);
  return out;
}

/** `type → statuses` as the server's source throws them. */
async function thrownTypes(): Promise<Map<string, Set<number>>> {
  const sources = await serverSources();
  const errors = sources.get("errors.ts") ?? "";
  // The status each subclass of AppError passes to its super call.
  const classStatus = new Map<string, number>();
  for (const m of errors.matchAll(/class (\w+) extends AppError \{[\s\S]*?super\((\d{3}),/g)) {
    classStatus.set(m[1]!, Number(m[2]));
  }
  assert.ok(classStatus.size >= 4, `errors.ts classes: ${[...classStatus.keys()]}`);
  const found = new Map<string, Set<number>>();
  const add = (type: string, status: number) => {
    if (!found.has(type)) found.set(type, new Set());
    found.get(type)!.add(status);
  };
  for (const text of sources.values()) {
    for (const m of text.matchAll(/new (\w+)\(\s*"([A-Z][A-Z_]+)"/g)) {
      const status = classStatus.get(m[1]!);
      if (status !== undefined) add(m[2]!, status);
    }
    for (const m of text.matchAll(/new AppError\(\s*(\d{3}),\s*"([A-Z][A-Z_]+)"/g)) {
      add(m[2]!, Number(m[1]));
    }
    for (const m of text.matchAll(/super\((\d{3}),\s*"([A-Z][A-Z_]+)"/g)) add(m[2]!, Number(m[1]));
    for (const m of text.matchAll(/status: (\d{3}),\s*type: "([A-Z][A-Z_]+)"/g)) {
      add(m[2]!, Number(m[1]));
    }
  }
  return found;
}

Deno.test("every error type the server throws is in the contract, with the status it is thrown with", async () => {
  const thrown = await thrownTypes();
  assert.ok(thrown.size > 10, `found only ${[...thrown.keys()]}`);
  for (const [type, statuses] of thrown) {
    assert.ok(
      isErrorType(type),
      `${type} is thrown by the server but missing from ERROR_TYPES (src/contract/error_types.js)`,
    );
    assert.deepEqual(
      [...statuses].sort(),
      [...ERROR_TYPES[type].statuses].sort(),
      `${type}: statuses thrown vs listed`,
    );
  }
});

Deno.test("every error type of the contract is thrown somewhere by the server", async () => {
  const thrown = await thrownTypes();
  for (const type of Object.keys(ERROR_TYPES)) {
    assert.ok(thrown.has(type), `${type} is listed but the server never answers it`);
  }
});

Deno.test("fixedStatus() is the one status of a type, and undefined for USER_NOT_FOUND", () => {
  assert.equal(fixedStatus("BAD_BINDING"), 400);
  assert.equal(fixedStatus("PAYLOAD_TOO_LARGE"), 413);
  assert.equal(fixedStatus("RATE_LIMITED"), 429);
  assert.equal(fixedStatus("USER_NOT_FOUND"), undefined);
  assert.deepEqual(ERROR_TYPES.USER_NOT_FOUND.statuses, [400, 404]);
  for (const type of Object.keys(ERROR_TYPES) as ErrorType[]) {
    const { statuses } = ERROR_TYPES[type];
    assert.ok(statuses.every((s) => s >= 400 && s < 600), type);
  }
});

Deno.test("isErrorType() knows the listed types only, not inherited keys", () => {
  assert.equal(isErrorType("USER_EXISTS"), true);
  assert.equal(isErrorType("NETWORK_ERROR"), false);
  assert.equal(isErrorType("toString"), false);
  assert.equal(isErrorType("__proto__"), false);
  assert.ok(Object.isFrozen(ERROR_TYPES) && Object.isFrozen(ERROR_TYPES.BAD_QUERY.statuses));
});
