// The price table is data: every entry has a price, its source and the day it was read.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parsePriceTable, PRICE_TABLE_FILE, validatePriceTable } from "../../cost/prices";
import { PROJECT_DIR } from "../helpers";

/** Sections of the table as nested records, for reading and breaking entries. */
type Sections = Record<string, Record<string, Record<string, unknown>>>;

const raw = () => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, PRICE_TABLE_FILE), "utf8")) as Sections;

describe("price table", () => {
  it("passes its schema check", () => assert.deepEqual(validatePriceTable(raw()), []));

  it("records a source URL, a read date and whether it was confirmed for every price", () => {
    const table = raw();
    const entries = [
      table.kubernetes.haControlPlane,
      table.loadBalancer.perNode,
      table.blockStorage.perGiB,
      table.postgresqlStandbyNode as Record<string, unknown>,
      ...Object.values(table.droplets),
      ...Object.values(table.containerRegistry),
      ...Object.values(table.postgresql),
    ] as Record<string, unknown>[];
    for (const e of entries) {
      assert.match(String(e.source), /^https:\/\/(docs\.digitalocean\.com|www\.digitalocean\.com)\//);
      assert.match(String(e.read), /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(typeof e.confirmed, "boolean");
    }
  });

  it("covers every size and tier the shipped stacks use", () => {
    const table = raw();
    for (const size of ["s-2vcpu-4gb", "s-4vcpu-8gb"]) assert.ok(table.droplets[size], size);
    for (const tier of ["starter", "basic", "professional"]) assert.ok(table.containerRegistry[tier], tier);
    assert.ok(table.postgresql["db-s-2vcpu-4gb"]);
    assert.ok((table.blockStorageClasses as unknown as string[]).includes("do-block-storage"));
  });

  it("names every problem with its path", () => {
    const table = raw();
    table.droplets["s-2vcpu-4gb"].monthlyUsd = -1;
    delete table.loadBalancer.perNode.source;
    table.containerRegistry.basic.read = "last week";
    table.postgresql["db-s-1vcpu-1gb"] = {
      monthlyUsd: 15,
      source: "https://x.example/",
      read: "2026-11-25",
      confirmed: false,
    };
    table.extra = {};
    assert.deepEqual(validatePriceTable(table), [
      "extra: unknown section",
      "droplets.s-2vcpu-4gb.monthlyUsd: expected a number ≥ 0",
      "loadBalancer.perNode.source: expected an https URL",
      "containerRegistry.basic.read: expected a date YYYY-MM-DD",
      "postgresql.db-s-1vcpu-1gb.note: an unconfirmed price must say why in a note",
    ]);
    assert.throws(() => parsePriceTable(table, "t.json"), /^Error: t\.json: extra: unknown section; /);
  });
});
