// Velero's chart values against the chart itself: its values.schema.json (after Helm's merge with
// the chart's defaults) and its values.yaml (every key the program sets exists there, so that a
// misspelt or renamed key, which Helm ignores silently, fails here). The chart is not in the
// repository and tests cannot fetch it: the spec reads it from PLATFORM_CHART_SOURCES (default
// ~/.cache/k8s-platform-charts), as `velero-<version>`, and skips with the reason where it is missing:
//
//   helm pull velero --repo https://vmware-tanzu.github.io/helm-charts --version <version> --untar --untardir /tmp/c
//   mv /tmp/c/velero ~/.cache/k8s-platform-charts/velero-<version>
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { parse } from "yaml";
import { VELERO_CHART_REPO, VELERO_CHART_VERSION, veleroValues } from "../../components/backup";
import { validateJsonSchema } from "../../policies/lib/jsonSchema";

type Values = Record<string, unknown>;

const SOURCES =
  process.env.PLATFORM_CHART_SOURCES ?? path.join(os.homedir(), ".cache", "k8s-platform-charts");
const isRecord = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's merge of values over the chart's defaults: maps key by key, anything else replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over ?? base;
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Keys of `values` the defaults lack; below a default that is an empty map, null, or a list, anything goes. */
function unknownKeys(values: Values, defaults: unknown, prefix = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const at = prefix ? `${prefix}.${key}` : key;
    if (!isRecord(defaults) || !(key in defaults)) return [at];
    const fallback = defaults[key];
    if (!isRecord(fallback) || Object.keys(fallback).length === 0 || !isRecord(value)) return [];
    // Kubernetes objects the chart passes on as they are.
    if (/(securityContext|SecurityContext|resources)$/.test(key)) return [];
    return unknownKeys(value, fallback, at);
  });
}

describe(`velero chart ${VELERO_CHART_VERSION}: the program's values against the chart`, () => {
  let dir: string;
  before(function () {
    dir = path.join(SOURCES, `velero-${VELERO_CHART_VERSION}`);
    if (!fs.existsSync(path.join(dir, "values.schema.json"))) {
      console.log(
        `    skipped: no velero ${VELERO_CHART_VERSION} in ${SOURCES} (helm pull velero --repo ${VELERO_CHART_REPO} --version ${VELERO_CHART_VERSION} --untar; see this spec's header)`,
      );
      this.skip();
    }
  });

  for (const snapshots of [false, true]) {
    it(`is valid against values.schema.json and sets only keys the chart has (${snapshots ? "with" : "without"} volume snapshots)`, () => {
      const values = veleroValues("platform-velero-credentials", snapshots);
      const defaults = parse(fs.readFileSync(path.join(dir, "values.yaml"), "utf8")) as Values;
      const schema = JSON.parse(
        fs.readFileSync(path.join(dir, "values.schema.json"), "utf8"),
      ) as PolicyConfigJSONSchema;
      assert.deepEqual(validateJsonSchema(merge(defaults, values), schema), []);
      assert.deepEqual(unknownKeys(values, defaults), []);
    });
  }

  it("finds a misspelt key (the check itself)", () => {
    assert.deepEqual(
      unknownKeys({ metrics: { servce: {} }, deployNodeAgnt: false }, { metrics: { service: {} } }),
      ["metrics.servce", "deployNodeAgnt"],
    );
  });
});
