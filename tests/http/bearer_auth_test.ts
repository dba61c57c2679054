import assert from "node:assert/strict";
import { AuthError } from "../../src/errors.ts";
import { bearerToken } from "../../src/http/bearer_auth.ts";

Deno.test("bearerToken() reads the token of a Bearer header, any case of the scheme", () => {
  assert.equal(bearerToken("Bearer abc.def-_~+/.ghi=="), "abc.def-_~+/.ghi==");
  assert.equal(bearerToken("bearer  abc "), "abc");
  assert.equal(bearerToken("BEARER\tabc"), "abc");
});

Deno.test("bearerToken() ignores a missing or empty header and other schemes", () => {
  assert.equal(bearerToken(undefined), undefined);
  assert.equal(bearerToken(null), undefined);
  assert.equal(bearerToken(""), undefined);
  assert.equal(bearerToken("   "), undefined);
  assert.equal(bearerToken("Basic dXNlcjpwYXNz"), undefined);
  assert.equal(bearerToken("Bearerish abc"), undefined);
});

Deno.test("bearerToken() refuses a malformed Bearer header with 401 INVALID_AUTH_TOKEN", () => {
  for (const header of ["Bearer", "Bearer ", "Bearer a b c", "Bearer a,b", 'Bearer "abc"']) {
    assert.throws(() => bearerToken(header), (error: unknown) => {
      assert.ok(error instanceof AuthError, header);
      assert.equal(error.status, 401);
      assert.equal(error.type, "INVALID_AUTH_TOKEN");
      return true;
    }, header);
  }
});
