import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackConfig, SECRET_PLACEHOLDER, StackFileError } from "../../config";

const PROJECT = `name: demo
runtime: nodejs
config:
  size:
    type: string
    default: small
  count:
    type: integer
    default: 2
  zones:
    type: array
    items:
      type: string
    default: [a, b]
  required:
    type: string
  aws:region: us-east-1
`;

function project(stackFiles: Record<string, string>, projectFile = PROJECT): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackfile-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectFile);
  for (const [stack, text] of Object.entries(stackFiles))
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}

function refusal(dir: string, stack: string): string {
  try {
    readStackConfig(dir, stack);
  } catch (error) {
    assert.ok(error instanceof StackFileError, `expected a StackFileError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("expected the stack file to be refused");
}

describe("stack file reader", () => {
  it("applies project defaults and project values where the stack sets nothing, as strings", () => {
    const dir = project({ s: "config:\n  demo:required: yes\n  demo:count: 5\n" });
    assert.deepEqual(readStackConfig(dir, "s"), {
      project: "demo",
      values: {
        "demo:required": "yes",
        "demo:count": "5",
        "demo:size": "small",
        "demo:zones": '["a","b"]',
        "aws:region": "us-east-1",
      },
      secretKeys: [],
    });
  });

  it("turns secure values into secret placeholders without a passphrase", () => {
    const dir = project({
      s: "config:\n  demo:required: x\n  demo:password:\n    secure: v1:abcdef==\n  demo:nested:\n    user: me\n    pass:\n      secure: v1:xyz\n",
    });
    const { values, secretKeys } = readStackConfig(dir, "s");
    assert.equal(values["demo:password"], SECRET_PLACEHOLDER);
    assert.equal(values["demo:nested"], `{"user":"me","pass":"${SECRET_PLACEHOLDER}"}`);
    assert.deepEqual(secretKeys.sort(), ["demo:nested", "demo:password"]);
  });

  it("refuses a stack that misses a declared key without a default, naming it", () => {
    const dir = project({ s: "config:\n  demo:size: big\n" });
    assert.equal(
      refusal(dir, "s"),
      `${path.join(dir, "Pulumi.s.yaml")}: stack 's' is missing configuration value 'demo:required'`,
    );
  });

  it("names a misspelt key when it leaves a required one missing", () => {
    const dir = project({ s: "config:\n  demo:requierd: x\n" });
    assert.equal(
      refusal(dir, "s"),
      `${path.join(dir, "Pulumi.s.yaml")}: stack 's' is missing configuration value 'demo:required' (it sets unknown key 'demo:requierd')`,
    );
  });

  it("refuses broken YAML with the file, line and column", () => {
    const dir = project({ s: "config:\n  demo:required: [unclosed\n" });
    assert.match(
      refusal(dir, "s"),
      new RegExp(`^${escape(path.join(dir, "Pulumi.s.yaml"))}:\\d+:\\d+: invalid YAML: `),
    );
  });

  it("refuses duplicate keys", () => {
    const dir = project({ s: "config:\n  demo:required: a\n  demo:required: b\n" });
    assert.match(refusal(dir, "s"), /invalid YAML: Map keys must be unique/);
  });

  it("refuses a key without namespace", () => {
    const dir = project({ s: "config:\n  required: x\n" });
    assert.equal(
      refusal(dir, "s"),
      `${path.join(dir, "Pulumi.s.yaml")}: config key "required" must be namespaced, e.g. "demo:required"`,
    );
  });

  it("refuses a misspelt top-level key", () => {
    const dir = project({ s: "conifg:\n  demo:required: x\n" });
    assert.equal(
      refusal(dir, "s"),
      `${path.join(dir, "Pulumi.s.yaml")}: unknown top-level key "conifg" (expected config, encryptionsalt, secretsprovider, encryptedkey, environment)`,
    );
  });

  it("refuses a key without a value", () => {
    const dir = project({ s: "config:\n  demo:required:\n" });
    assert.equal(
      refusal(dir, "s"),
      `${path.join(dir, "Pulumi.s.yaml")}: config key "demo:required" has no value`,
    );
  });

  it("names the stacks that exist when asked for one that does not", () => {
    const dir = project({ dev: "config: {}\n", prod: "config: {}\n" });
    assert.equal(
      refusal(dir, "qa"),
      `${path.join(dir, "Pulumi.qa.yaml")}: no such stack file (stacks here: dev, prod)`,
    );
  });

  it("refuses a project file that is not a map", () => {
    const dir = project({ s: "config: {}\n" }, "- just\n- a list\n");
    assert.equal(refusal(dir, "s"), `${path.join(dir, "Pulumi.yaml")}: expected a YAML map at the top level`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
