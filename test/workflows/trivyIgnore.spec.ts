// The image scans' accepted findings (.trivyignore.yaml): each with a reason and an expiry date.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers";
import { MAX_ACCEPTANCE_DAYS, trivyIgnoreProblems } from "./trivyIgnore";

const FILE = path.join(PROJECT_DIR, ".trivyignore.yaml");
const TODAY = new Date("2026-11-30T12:00:00Z");

const entry = (fields: string) => `vulnerabilities:\n  - id: CVE-2026-12345\n${fields}`;
const REASON = "    statement: Only the CLI of example is affected; the api never loads it.\n";

describe(".trivyignore.yaml", () => {
  it("parses, and every entry has a reason and an expiry date at most 90 days ahead", () => {
    assert.deepEqual(trivyIgnoreProblems(fs.readFileSync(FILE, "utf8"), new Date()), []);
  });

  it("accepts an entry with an id, a package, a reason and a date", () => {
    const text = entry(`    purls:\n      - pkg:npm/example@1.2.3\n${REASON}    expired_at: 2027-01-31\n`);
    assert.deepEqual(trivyIgnoreProblems(text, TODAY), []);
  });

  it("accepts an expiry exactly 90 days ahead and an entry that has already expired", () => {
    // 2026-11-30 + 90 days = 2027-02-28 (1 day left in November, 31 in December, 31 in January, 27 in February).
    assert.equal(MAX_ACCEPTANCE_DAYS, 90);
    assert.deepEqual(trivyIgnoreProblems(entry(`${REASON}    expired_at: 2027-02-28\n`), TODAY), []);
    assert.deepEqual(trivyIgnoreProblems(entry(`${REASON}    expired_at: 2026-01-01\n`), TODAY), []);
  });

  it("refuses an entry without a reason, or with one that says nothing", () => {
    assert.deepEqual(trivyIgnoreProblems(entry("    expired_at: 2027-01-31\n"), TODAY), [
      "vulnerabilities[0] CVE-2026-12345: needs a statement saying why the finding is accepted",
    ]);
    assert.deepEqual(
      trivyIgnoreProblems(entry("    statement: accepted\n    expired_at: 2027-01-31\n"), TODAY),
      ['vulnerabilities[0] CVE-2026-12345: the statement "accepted" gives no reason'],
    );
  });

  it("refuses an entry without an expiry date, or one too far ahead, quoted or not a date", () => {
    const problems = (expiry: string) => trivyIgnoreProblems(entry(`${REASON}${expiry}`), TODAY);
    assert.deepEqual(problems(""), [
      "vulnerabilities[0] CVE-2026-12345: needs expired_at, the day trivy stops ignoring it",
    ]);
    assert.deepEqual(problems("    expired_at: 2027-03-01\n"), [
      "vulnerabilities[0] CVE-2026-12345: expired_at 2027-03-01 is more than 90 days ahead; accept for a shorter time",
    ]);
    for (const bad of ['"2027-01-31"', "2027-02-30", "31.01.2027", "never"])
      assert.deepEqual(problems(`    expired_at: ${bad}\n`), [
        `vulnerabilities[0] CVE-2026-12345: expired_at must be an unquoted date YYYY-MM-DD, got ${bad.replace(/"/g, "")}`,
      ]);
  });

  it("refuses fields and sections trivy does not know, an entry without an id, and broken YAML", () => {
    assert.deepEqual(
      trivyIgnoreProblems(`vulnerability:\n  - id: CVE-1\n${REASON}    expired_at: 2027-01-31\n`, TODAY),
      [
        "vulnerability: not a section of trivy's ignore file (vulnerabilities, misconfigurations, secrets, licenses)",
      ],
    );
    assert.deepEqual(trivyIgnoreProblems(entry(`${REASON}    expires: 2027-01-31\n`), TODAY), [
      'vulnerabilities[0] CVE-2026-12345: unknown field "expires"',
      "vulnerabilities[0] CVE-2026-12345: needs expired_at, the day trivy stops ignoring it",
    ]);
    assert.deepEqual(
      trivyIgnoreProblems(
        `vulnerabilities:\n  - purls: [pkg:npm/x@1]\n${REASON}    expired_at: 2027-01-31\n`,
        TODAY,
      ),
      ["vulnerabilities[0]: needs an id (CVE-…, GHSA-…, AVD-…)"],
    );
    assert.match(trivyIgnoreProblems("vulnerabilities: [\n", TODAY)[0], /^does not parse: /);
    assert.deepEqual(trivyIgnoreProblems("", TODAY), ["is empty: write `vulnerabilities: []`"]);
  });
});
