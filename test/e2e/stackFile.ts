// The throwaway stack's file: a copy of Pulumi.dev.yaml with its own ports, so the end-to-end run
// never collides with a developer's dev stack (its Docker containers, volumes and network are named
// after the stack, and its ports are the only host-global settings).
import { isMap, isScalar, isSeq, parseDocument } from "yaml";

/** Config keys (in the `platform:` namespace) that publish a port on 127.0.0.1. */
export const PORT_KEYS = ["k0sApiPort", "ingressHttpPort", "ingressHttpsPort", "registryPort"] as const;

export type PortKey = (typeof PORT_KEYS)[number];
export type StackPorts = Readonly<Record<PortKey, number>>;

/** Top-level keys tied to the dev stack's own secrets provider; the e2e stack gets its own. */
const SECRETS_PROVIDER_KEYS = ["encryptionsalt", "secretsprovider", "encryptedkey"];

/** `e2e-<suffix>`; the suffix must be lower-case alphanumerics (it ends up in Docker names). */
export function e2eStackName(suffix: string): string {
  if (!/^[a-z0-9]{1,20}$/.test(suffix)) throw new Error(`invalid e2e stack suffix "${suffix}"`);
  return `e2e-${suffix}`;
}

/** `Pulumi.<stack>.yaml`. */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** Zips {@link PORT_KEYS} with `ports` (in that order). */
export function stackPorts(ports: readonly number[]): StackPorts {
  if (ports.length !== PORT_KEYS.length) {
    throw new Error(`expected ${PORT_KEYS.length} ports, got ${ports.length}`);
  }
  const entries = PORT_KEYS.map((key, i) => [key, ports[i]] as const);
  return Object.fromEntries(entries) as Record<PortKey, number>;
}

/**
 * The e2e stack file from the dev stack file's text: the same configuration (and comments) under a
 * note saying what the file is, the ports set to `ports`, and no secrets-provider keys (the
 * throwaway backend initialises its own). Refuses anything that could not work in a throwaway
 * stack: a cluster other than k0s, or `secure:` values (encrypted with the dev stack's key).
 */
export function renderE2eStackFile(devText: string, ports: StackPorts, source = "Pulumi.dev.yaml"): string {
  const doc = parseDocument(devText);
  if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
  if (!isMap(doc.contents)) throw new Error(`${source}: expected a mapping with a "config" key`);
  const config = doc.get("config");
  if (!isMap(config)) throw new Error(`${source}: expected a "config" mapping`);

  const provider = config.get("platform:clusterProvider");
  if (provider !== "k0s") {
    throw new Error(
      `${source}: platform:clusterProvider must be k0s for the e2e test, got ${String(provider)}`,
    );
  }
  const secrets = config.items
    .filter((pair) => containsSecure(pair.value))
    .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
  if (secrets.length > 0) {
    throw new Error(
      `${source}: secret values cannot be copied to a throwaway stack (they are encrypted with the dev ` +
        `stack's key): ${secrets.join(", ")}`,
    );
  }

  for (const key of SECRETS_PROVIDER_KEYS) doc.delete(key);
  for (const key of PORT_KEYS) config.set(`platform:${key}`, ports[key]);
  doc.commentBefore =
    ` Throwaway stack of the end-to-end test (test/e2e), copied from ${source} with its own ports.\n` +
    " Deleted when the test ends; if it is still here, see test/e2e/README.md (leftovers).";
  return doc.toString();
}

/** True when a YAML node (or anything inside it) is a `{secure: ...}` value. */
function containsSecure(node: unknown): boolean {
  if (isMap(node)) return node.has("secure") || node.items.some((pair) => containsSecure(pair.value));
  if (isSeq(node)) return node.items.some((item) => containsSecure(item));
  return false;
}
