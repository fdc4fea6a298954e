import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { parse } from "yaml";
import { CERT_MANAGER_CHART_VERSION, TRAEFIK_CHART_VERSION } from "../../components/ingress/versions";
import { KEY_DEFAULTS } from "../../config";
import { PROJECT_DIR } from "../helpers";

// Renovate's custom managers are regular expressions over files others edit: these specs run them
// (JavaScript's RegExp; Renovate uses RE2, which agrees on these patterns) against the real files.

interface CustomManager {
  readonly managerFilePatterns: string[];
  readonly matchStrings: string[];
  readonly depNameTemplate?: string;
  readonly datasourceTemplate?: string;
}

interface RenovateConfig {
  readonly extends: string[];
  readonly packageRules: { matchPackageNames?: string[]; versioning?: string; groupName?: string }[];
  readonly customManagers: CustomManager[];
}

const config = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "renovate.json"), "utf8")) as RenovateConfig;

/** `"/re/"` as Renovate writes a regex file pattern. */
function filePattern(pattern: string): RegExp {
  assert.match(pattern, /^\/.+\/$/, `${pattern} is not a /regex/ pattern`);
  return new RegExp(pattern.slice(1, -1));
}

function repositoryFiles(): string[] {
  const ls = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
  });
  return ls.stdout.split("\n").filter((f) => f && fs.existsSync(path.join(PROJECT_DIR, f)));
}

/** What a custom manager extracts: file, then the named groups of each match. */
function extract(manager: CustomManager): { file: string; groups: Record<string, string> }[] {
  const files = repositoryFiles().filter((f) =>
    manager.managerFilePatterns.some((p) => filePattern(p).test(f)),
  );
  return files.flatMap((file) => {
    const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
    return manager.matchStrings.flatMap((source) =>
      [...text.matchAll(new RegExp(source, "g"))].map((m) => ({ file, groups: { ...m.groups } })),
    );
  });
}

const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
  config: Record<string, { default?: unknown }>;
};

describe("renovate.json", () => {
  it("pins action and image digests on top of the recommended config", () => {
    for (const preset of ["config:recommended", "helpers:pinGitHubActionDigests", "docker:pinDigests"])
      assert.ok(config.extends.includes(preset), preset);
  });

  it("groups the Pulumi packages", () => {
    assert.ok(config.packageRules.some((r) => r.matchPackageNames?.includes("@pulumi/**") && r.groupName));
  });

  // The program compares values with the defaults in config/keys.ts (a key that does not apply to
  // a stack may only hold its default): both files move in the same pull request.
  it("finds the k0s release in Pulumi.yaml and config/keys.ts, and its versioning reads it", () => {
    const [k0s] = config.customManagers.filter((m) => m.depNameTemplate === "k0sproject/k0s");
    const found = extract(k0s);
    assert.deepEqual(found, [
      { file: "Pulumi.yaml", groups: { currentValue: project.config.k0sVersion.default } },
      { file: "config/keys.ts", groups: { currentValue: KEY_DEFAULTS.k0sVersion } },
    ]);
    const versioning = config.packageRules.find((r) =>
      r.matchPackageNames?.includes("k0sproject/k0s"),
    )?.versioning;
    const scheme = new RegExp(String(versioning).replace(/^regex:/, ""));
    const parts = scheme.exec(String(project.config.k0sVersion.default))?.groups;
    assert.ok(
      parts && parts.major && parts.build,
      `${versioning} does not read ${project.config.k0sVersion.default}`,
    );
  });

  it("finds the registry and PostgreSQL images in Pulumi.yaml and config/keys.ts", () => {
    const [images] = config.customManagers.filter((m) => m.datasourceTemplate === "docker");
    const found = (file: string) =>
      extract(images)
        .filter((e) => e.file === file)
        .map((e) => `${e.groups.depName}:${e.groups.currentValue}`);
    assert.deepEqual(found("Pulumi.yaml"), [
      project.config.registryImage.default,
      project.config.databaseImage.default,
    ]);
    assert.deepEqual(found("config/keys.ts"), [KEY_DEFAULTS.registryImage, KEY_DEFAULTS.databaseImage]);
  });

  it("leaves the files it pins image digests in formatted (npm run lint stays green)", async () => {
    const [images] = config.customManagers.filter((m) => m.datasourceTemplate === "docker");
    const digest = `sha256:${"0".repeat(64)}`;
    const files = new Set(extract(images).map((e) => e.file));
    assert.deepEqual([...files], ["Pulumi.yaml", "config/keys.ts"]);
    for (const file of files) {
      const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
      const pinned = images.matchStrings.reduce(
        (t, source) =>
          t.replace(new RegExp(source, "g"), (...m) => {
            const { depName, currentValue } = m.at(-1) as Record<string, string>;
            return `${depName}:${currentValue}@${digest}`;
          }),
        text,
      );
      assert.notEqual(pinned, text, file);
      const options = (await prettier.resolveConfig(path.join(PROJECT_DIR, file))) ?? {};
      assert.ok(
        await prettier.check(pinned, { ...options, filepath: path.join(PROJECT_DIR, file) }),
        `${file} is no longer formatted once Renovate pins a digest`,
      );
    }
  });

  it("finds every version marked with a renovate comment, the Helm charts among them", () => {
    const [marked] = config.customManagers.filter((m) =>
      m.matchStrings.some((s) => s.includes("// renovate:")),
    );
    const found = extract(marked);
    const comments = repositoryFiles()
      .filter((f) => f.startsWith("components/") && f.endsWith(".ts"))
      .flatMap((f) => fs.readFileSync(path.join(PROJECT_DIR, f), "utf8").match(/\/\/ renovate:/g) ?? []);
    assert.equal(found.length, comments.length, "a // renovate: comment the manager does not read");
    const charts = found.map((e) => [e.groups.depName, e.groups.registryUrl, e.groups.currentValue]);
    assert.deepEqual(
      charts.filter(([name]) => name === "traefik" || name === "cert-manager"),
      [
        ["traefik", "https://traefik.github.io/charts", TRAEFIK_CHART_VERSION],
        ["cert-manager", "https://charts.jetstack.io", CERT_MANAGER_CHART_VERSION],
      ],
    );
  });

  it("finds every `# renovate:` version of the engine toolchain, each as build.sh reads it", () => {
    const [engine] = config.customManagers.filter((m) =>
      m.managerFilePatterns.some((p) => p.includes("versions")),
    );
    const text = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "engine", "versions.env"), "utf8");
    const found = extract(engine).map((e) => `${e.groups.depName} ${e.groups.currentValue}`);
    assert.equal(
      found.length,
      text.match(/^# renovate:/gm)?.length,
      "a # renovate: line the manager does not read",
    );
    // The values must be the ones build.sh uses, not a stale copy.
    const value = (name: string) => new RegExp(`^${name}=(.+)$`, "m").exec(text)?.[1];
    assert.deepEqual(found, [
      `go ${value("GO_VERSION")}`,
      `github.com/pulumi/pulumi/pkg/v3 ${value("PULUMI_VERSION")}`,
      `k8s.io/kubernetes ${value("KUBERNETES_VERSION")}`,
      `go.etcd.io/etcd/server/v3 ${value("ETCD_VERSION")}`,
      `sigs.k8s.io/kwok ${value("KWOK_VERSION")}`,
    ]);
  });
});
