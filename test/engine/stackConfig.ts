// The engine test's stack: the dev stack's settings, moved onto an existing cluster the test
// provides. Pure functions, unit-tested in stackConfig.spec.ts.
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { ConfigError, KEY_DEFAULTS, KEYS, KeyName, parseConfig, PROJECT } from "../../config";

/** What the test's cluster and images bring to the stack. */
export interface EngineStackInputs {
  /** The admin kubeconfig document of the cluster (stored as a secret, as a user would). */
  readonly kubeconfig: string;
  readonly context?: string;
  /** The app's images by digest. */
  readonly images: { readonly api: string; readonly web: string };
  /** The database password (secret): the random provider cannot be built here. */
  readonly databasePassword: string;
  /** IngressClass and namespace of the cluster's controller (the test plays it on a fake cluster). */
  readonly ingressClassName: string;
  readonly ingressControllerNamespace: string;
  /** StorageClass of the database's volumes; absent: the cluster's default. */
  readonly storageClass?: string;
}

/** The dev stack's own settings that also mean something on an existing cluster. */
export function devSettingsForExisting(devValues: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(devValues)) {
    const name = key.slice(PROJECT.length + 1) as KeyName;
    if (!key.startsWith(`${PROJECT}:`) || !(name in KEYS) || name === "clusterProvider") continue;
    const applies = (KEYS[name].appliesTo as readonly string[]).includes("existing");
    if (applies && value !== configString(KEY_DEFAULTS[name])) kept[key] = value;
  }
  return kept;
}

/** A value as the CLI hands it to a program: scalars as text, lists and maps as JSON. */
export function configString(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : JSON.stringify(value);
}

/**
 * The engine stack's configuration for the Automation API (`setAllConfig(config, path=true)`): the
 * dev stack's settings on the given cluster, the images by digest, the cluster's own ingress
 * controller, no cert-manager, and the secrets as secrets. A dev setting that this stack's own
 * settings make meaningless (`ingressReplicas` with the cluster's controller, say) is left out and
 * reported in `dropped`, so that no change to the dev stack can make the engine stack invalid.
 * @throws ConfigError when the configuration is invalid without any dev setting (a bug here).
 */
export function engineStackConfig(
  devValues: Readonly<Record<string, string>>,
  inputs: EngineStackInputs,
): { config: ConfigMap; dropped: string[] } {
  const settings = devSettingsForExisting(devValues);
  const dropped: string[] = [];
  for (;;) {
    const config = compose(settings, inputs);
    const { values, secrets } = programConfig(config);
    let problems: readonly string[] = [];
    try {
      parseConfig(values, "engine", "the engine stack", secrets);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    const culprits = Object.keys(settings).filter((key) => problems.some((p) => p.startsWith(`${key}:`)));
    if (problems.length === 0 || culprits.length === 0) {
      if (problems.length > 0) parseConfig(values, "engine", "the engine stack", secrets);
      return { config, dropped };
    }
    for (const key of culprits) {
      dropped.push(key);
      delete settings[key];
    }
  }
}

function compose(settings: Readonly<Record<string, string>>, inputs: EngineStackInputs): ConfigMap {
  const key = (name: string) => `${PROJECT}:${name}`;
  const config: ConfigMap = {};
  for (const [name, value] of Object.entries(settings)) config[name] = { value };
  Object.assign(config, {
    [key("clusterProvider")]: { value: "existing" },
    [key("kubeconfig")]: { value: inputs.kubeconfig, secret: true },
    ...(inputs.context ? { [key("kubeconfigContext")]: { value: inputs.context } } : {}),
    [key("appImages.api")]: { value: inputs.images.api },
    [key("appImages.web")]: { value: inputs.images.web },
    [key("ingressController")]: { value: "existing" },
    [key("ingressClassName")]: { value: inputs.ingressClassName },
    [key("ingressControllerNamespace")]: { value: inputs.ingressControllerNamespace },
    [key("certManager")]: { value: "off" },
    [key("databasePassword")]: { value: inputs.databasePassword, secret: true },
    [key("databaseStorageGi")]: { value: "1" },
    ...(inputs.storageClass ? { [key("databaseStorageClass")]: { value: inputs.storageClass } } : {}),
  });
  return config;
}

/**
 * An Automation API config as the program receives it: the project's defaults from Pulumi.yaml
 * applied (as the CLI does), path keys (`platform:appImages.api`) folded into their maps.
 */
export function programConfig(config: ConfigMap): { values: Record<string, string>; secrets: Set<string> } {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(KEY_DEFAULTS))
    if (value !== undefined) values[`${PROJECT}:${name}`] = configString(value);
  const maps: Record<string, Record<string, string>> = {};
  const secrets = new Set<string>();
  for (const [key, { value, secret }] of Object.entries(config)) {
    const [name, field] = key.split(".");
    if (field) (maps[name] ??= {})[field] = value;
    else values[name] = value;
    if (secret) secrets.add(name);
  }
  for (const [name, map] of Object.entries(maps)) values[name] = JSON.stringify(map);
  return { values, secrets };
}

/**
 * Image references for a fake cluster, whose nodes never pull: `registry.invalid` (a reserved
 * name, RFC 2606) and the SHA-256 of each service's build context, so the digest is computed from
 * the sources, never typed.
 */
export function fakeImageRef(service: string, contextDigest: string): string {
  return `registry.invalid/platform/${service}@sha256:${contextDigest}`;
}
