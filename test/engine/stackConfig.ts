// The engine test's stack: the dev stack's settings, moved onto an existing cluster the test
// provides. Pure functions, unit-tested in stackConfig.spec.ts.
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { KEY_DEFAULTS, KEYS, KeyName, PROJECT } from "../../config";

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
 * controller, no cert-manager, and the secrets as secrets.
 */
export function engineStackConfig(
  devValues: Readonly<Record<string, string>>,
  inputs: EngineStackInputs,
): ConfigMap {
  const key = (name: string) => `${PROJECT}:${name}`;
  const config: ConfigMap = {};
  for (const [name, value] of Object.entries(devSettingsForExisting(devValues))) config[name] = { value };
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
 * Image references for a fake cluster, whose nodes never pull: `registry.invalid` (a reserved
 * name, RFC 2606) and the SHA-256 of each service's build context, so the digest is computed from
 * the sources, never typed.
 */
export function fakeImageRef(service: string, contextDigest: string): string {
  return `registry.invalid/platform/${service}@sha256:${contextDigest}`;
}
