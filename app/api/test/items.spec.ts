import assert from "node:assert/strict";
import { parseItemId, parseListLimit, parseNewItem } from "../src/items";

describe("api: input validation", () => {
  describe("parseNewItem", () => {
    it("accepts a name and trims it", () => {
      assert.deepEqual(parseNewItem({ name: "  milk " }), { ok: true, value: { name: "milk" } });
    });

    it("counts characters, not UTF-16 units: 200 emoji are fine, 201 are not", () => {
      assert.deepEqual(parseNewItem({ name: "🥛".repeat(200) }), {
        ok: true,
        value: { name: "🥛".repeat(200) },
      });
      assert.deepEqual(parseNewItem({ name: "🥛".repeat(201) }), {
        ok: false,
        error: "name must be at most 200 characters",
      });
    });

    const rejected: [string, unknown, string][] = [
      ["null", null, "body must be a JSON object"],
      ["an array", [{ name: "x" }], "body must be a JSON object"],
      ["a string", "x", "body must be a JSON object"],
      ["a missing name", {}, "name must be a string"],
      ["a numeric name", { name: 5 }, "name must be a string"],
      ["an empty name", { name: "" }, "name must not be empty"],
      ["a blank name", { name: " \t\n" }, "name must not be empty"],
      ["an unknown field", { name: "x", price: 1 }, 'unexpected field "price"'],
    ];
    for (const [label, body, error] of rejected) {
      it(`rejects ${label}`, () => {
        assert.deepEqual(parseNewItem(body), { ok: false, error });
      });
    }
  });

  describe("parseItemId", () => {
    it("accepts positive integers up to 15 digits", () => {
      assert.deepEqual(parseItemId("1"), { ok: true, value: 1 });
      assert.deepEqual(parseItemId("999999999999999"), { ok: true, value: 999999999999999 });
    });

    for (const raw of ["0", "-1", "01", "1.5", "abc", "1e3", "9999999999999999", ""]) {
      it(`rejects "${raw}"`, () => {
        assert.deepEqual(parseItemId(raw), { ok: false, error: "id must be a positive integer" });
      });
    }
  });

  describe("parseListLimit", () => {
    it("defaults to 50 and accepts 1..100", () => {
      assert.deepEqual(parseListLimit(null), { ok: true, value: 50 });
      assert.deepEqual(parseListLimit("1"), { ok: true, value: 1 });
      assert.deepEqual(parseListLimit("100"), { ok: true, value: 100 });
    });

    for (const raw of ["0", "101", "-1", "ten", ""]) {
      it(`rejects "${raw}"`, () => {
        assert.deepEqual(parseListLimit(raw), { ok: false, error: "limit must be an integer from 1 to 100" });
      });
    }
  });
});
