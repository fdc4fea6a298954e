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

  it("records what a DOKS node of each size leaves to pods, with DigitalOcean's page as the source", () => {
    const nodes = raw().doksNodeCapacity;
    // DigitalOcean's table of maximum pod allocatable memory: 2 GiB nodes 1 GiB, 4 GiB 2.5, 8 GiB 6.
    assert.deepEqual(
      ["s-1vcpu-2gb", "s-2vcpu-4gb", "s-4vcpu-8gb"].map((size) => [size, nodes[size].allocatableMemoryGiB]),
      [
        ["s-1vcpu-2gb", 1],
        ["s-2vcpu-4gb", 2.5],
        ["s-4vcpu-8gb", 6],
      ],
    );
    for (const entry of Object.values(nodes))
      assert.equal(
        entry.source,
        "https://docs.digitalocean.com/products/kubernetes/details/limits/#allocatable-memory",
      );
    const table = raw();
    table.doksNodeCapacity["s-2vcpu-4gb"].allocatableMemoryGiB = 5;
    table.doksNodeCapacity["s-9vcpu-9gb"] = { ...table.doksNodeCapacity["s-4vcpu-8gb"], vcpus: 0 };
    delete table.doksNodeCapacity["s-4vcpu-8gb"].read;
    assert.deepEqual(validatePriceTable(table), [
      "doksNodeCapacity.s-2vcpu-4gb.allocatableMemoryGiB: more than the node's memoryGiB",
      "doksNodeCapacity.s-4vcpu-8gb.read: expected a date YYYY-MM-DD",
      "doksNodeCapacity.s-9vcpu-9gb: no Droplet price for this size",
      "doksNodeCapacity.s-9vcpu-9gb.vcpus: expected a number > 0",
    ]);
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
