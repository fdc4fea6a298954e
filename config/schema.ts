import { z } from "zod";
import { type ImageReference, parseImage } from "../reference/image";
import { CLUSTER_PROVIDERS, KEY_TYPES, KeyType } from "./keys";

// Pulumi hands every config value to the program as a string (arrays as JSON). Values are turned
// into their declared type first, so that the messages below can speak of the value, not of JSON.
function fromConfigString(type: KeyType) {
  return (value: unknown): unknown => {
    if (typeof value !== "string") return value;
    switch (type) {
      case "integer":
        return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      case "boolean":
        return value === "true" ? true : value === "false" ? false : value;
      case "array":
      case "object":
        try {
          return JSON.parse(value);
        } catch {
          return value;
        }
      default:
        return value;
    }
  };
}

const integer = (min: number, max: number) =>
  z.preprocess(
    fromConfigString("integer"),
    z
      .number({ error: `expected an integer from ${min} to ${max}` })
      .int(`expected an integer from ${min} to ${max}`)
      .min(min, `expected an integer from ${min} to ${max}`)
      .max(max, `expected an integer from ${min} to ${max}`),
  );

const boolean = () =>
  z.preprocess(fromConfigString("boolean"), z.boolean({ error: "expected true or false" }));

const pattern = (re: RegExp, expected: string) =>
  z.string({ error: `expected ${expected}` }).regex(re, `expected ${expected}`);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join(", ")}` });

const list = <T extends z.ZodType>(item: T, expected: string) =>
  z.preprocess(fromConfigString("array"), z.array(item, { error: `expected a list of ${expected}` }));

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CRON = /^(\S+\s+){4}\S+$/;
/** DOKS's default pod and service networks: a VPC must not overlap them. */
const DOKS_RESERVED = ["10.244.0.0/16", "10.245.0.0/16"];
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

function toRange(cidr: string): [number, number] {
  const [address, bits] = cidr.split("/");
  const start = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = start - (start % size);
  return [first, first + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const [a1, a2] = toRange(a);
  const [b1, b2] = toRange(b);
  return a1 <= b2 && b1 <= a2;
}

function isPrivateRange(cidr: string): boolean {
  const [first, last] = toRange(cidr);
  return PRIVATE_RANGES.some((range) => {
    const [r1, r2] = toRange(range);
    return r1 <= first && last <= r2;
  });
}

const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(\d|[12]\d|3[0-2])$/;

/** An image pinned by an exact tag (or digest): `latest` and untagged references are refused. */
const pinnedImage = z.string({ error: "expected an image reference" }).superRefine((value, ctx) => {
  let ref: ImageReference;
  try {
    ref = parseImage(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `expected an image reference (${(error as Error).message})` });
    return;
  }
  if (!ref.digest && (!ref.tag || ref.tag === "latest")) {
    ctx.addIssue({
      code: "custom",
      message: "expected an image pinned by an exact version tag, not latest or untagged",
    });
  }
});

/** An image given by digest (`registry.example.com/api@sha256:…`, a tag beside it allowed). */
const digestImage = z.string({ error: "expected an image reference" }).superRefine((value, ctx) => {
  let ref: ImageReference;
  try {
    ref = parseImage(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `expected an image reference (${(error as Error).message})` });
    return;
  }
  if (!ref.digest) {
    ctx.addIssue({
      code: "custom",
      message: "expected an image pinned by digest, such as registry.example.com/api@sha256:<64 hex digits>",
    });
  }
});

/** Where images are pushed: a registry host (and port), optionally with a path, no tag. */
const registryPrefix = z
  .string({ error: "expected a registry such as ghcr.io/acme or localhost:5001" })
  .superRefine((value, ctx) => {
    const expected =
      "expected a registry such as ghcr.io/acme or localhost:5001 (no scheme, tag or trailing slash)";
    if (
      value !== value.toLowerCase() ||
      value.endsWith("/") ||
      value.includes("://") ||
      /[@\s]/.test(value)
    ) {
      ctx.addIssue({ code: "custom", message: expected });
      return;
    }
    try {
      if (parseImage(`${value}/api:probe`).tag !== "probe")
        ctx.addIssue({ code: "custom", message: expected });
    } catch {
      ctx.addIssue({ code: "custom", message: expected });
    }
  });

/** A DNS-1123 subdomain, as Kubernetes object names of most kinds. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1123 label, as namespace names. */
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const MAINTENANCE_DAYS = [
  "any",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

const port = () => integer(1024, 65535);

/**
 * Constraints on each key's value. Keys are optional here: which ones a stack must set depends on
 * `clusterProvider` and is checked in `validate.ts`, where all problems are gathered together.
 */
export const rawConfigSchema = z.object({
  clusterProvider: oneOf(CLUSTER_PROVIDERS),
  protect: boolean(),
  tags: list(pattern(/^[A-Za-z0-9:_-]{1,255}$/, "tags of letters, digits, ':', '-' and '_'"), "tags"),

  // From 1.32.1 the k0s image fixes cgroup v2 nesting and Docker's DNS itself (see the README).
  k0sVersion: pattern(
    /^v1\.(3[3-9]|[4-9]\d)\.\d+\+k0s\.\d+$|^v1\.32\.([1-9]|\d{2,})\+k0s\.\d+$/,
    "a k0s release from v1.32.1 on, such as v1.36.3+k0s.2 (never latest)",
  ),
  k0sApiPort: port(),
  ingressHttpPort: port(),
  ingressHttpsPort: port(),
  registryPort: port(),
  registryImage: pinnedImage,
  offlineBundle: pattern(/^\S(.*\S)?$/, "the path of a directory written by npm run bundle"),

  region: pattern(/^[a-z]{3}\d$/, "a DigitalOcean region slug such as fra1"),
  kubernetesVersionPrefix: pattern(/^\d+\.\d+\.$/, 'a minor version prefix ending in a dot, such as "1.33."'),
  haControlPlane: boolean(),
  autoUpgrade: boolean(),
  maintenanceDay: oneOf(MAINTENANCE_DAYS),
  maintenanceStartTime: pattern(/^([01]\d|2[0-3]):[0-5]\d$/, "a UTC time HH:MM such as 03:00"),
  surgeUpgrade: boolean(),
  nodeSize: pattern(/^[a-z0-9]+(-[a-z0-9]+)+$/, "a Droplet size slug such as s-2vcpu-4gb"),
  nodeAutoScale: boolean(),
  nodeCount: integer(1, 100),
  nodeMinCount: integer(1, 100),
  nodeMaxCount: integer(1, 100),
  vpcIpRange: pattern(IPV4_CIDR, "an IPv4 CIDR such as 10.110.0.0/20")
    .refine((cidr) => {
      const prefix = Number(cidr.split("/")[1]);
      return prefix >= 16 && prefix <= 24;
    }, "expected a VPC range between /16 and /24")
    .refine(isPrivateRange, "expected a private (RFC 1918) range")
    .refine(
      (cidr) => !DOKS_RESERVED.some((reserved) => overlaps(cidr, reserved)),
      "expected a range that does not overlap DOKS's pod (10.244.0.0/16) and service (10.245.0.0/16) networks",
    ),
  apiAllowList: list(
    pattern(IPV4_CIDR, "IPv4 CIDRs such as 203.0.113.0/24"),
    "IPv4 CIDRs such as 203.0.113.0/24",
  ),
  registryName: pattern(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "3 to 63 lowercase letters, digits and dashes"),
  registryTier: oneOf(["starter", "basic", "professional"]),

  // Checked for shape only: its contents are a secret, checked once validation knows the provider.
  kubeconfig: z.string({ error: "expected a kubeconfig document" }),
  // A kubeconfig pasted here would land in plain text in the stack file and the state: anything
  // that reads as a document (several lines, JSON, YAML keys) is refused, and never echoed.
  kubeconfigPath: z
    .string({ error: "expected the path of a kubeconfig file" })
    .refine(
      (v) => v.trim() !== "" && !/[\n\r]/.test(v) && !/^\s*[{[]/.test(v) && !/^\s*[A-Za-z-]+:\s/.test(v),
      {
        message:
          "expected the path of a kubeconfig file, not its contents (those belong in the secret platform:kubeconfig)",
      },
    ),
  kubeconfigContext: pattern(/^\S(.*\S)?$/, "the name of a context in the kubeconfig"),
  registryServer: registryPrefix,
  registryPullSecret: z.string({ error: "expected a .dockerconfigjson document" }),
  ingressController: oneOf(["traefik", "existing"]),
  ingressClassName: pattern(DNS_SUBDOMAIN, "the name of an IngressClass, such as nginx"),
  ingressControllerNamespace: pattern(
    DNS_LABEL,
    "the namespace of the ingress controller's pods, such as ingress-nginx",
  ),
  certManager: oneOf(["install", "existing", "off"]),
  metricsServer: oneOf(["install", "existing"]),
  clusterIssuer: pattern(DNS_SUBDOMAIN, "the name of a ClusterIssuer, such as letsencrypt-prod"),

  appHost: pattern(DNS_NAME, "a DNS name such as app.example.com"),
  appImages: z.preprocess(
    fromConfigString("object"),
    z
      .strictObject(
        { api: digestImage, web: digestImage },
        { error: "expected a map with the keys api and web, each an image reference by digest" },
      )
      .partial(),
  ),
  appLogLevel: oneOf(["debug", "info", "warn", "error"]),
  appReplicas: integer(1, 50),
  appAutoscale: boolean(),
  appMinReplicas: integer(1, 50),
  appMaxReplicas: integer(1, 100),
  ingressReplicas: integer(1, 10),
  routing: oneOf(["ingress", "gateway"]),
  tls: boolean(),
  acmeEmail: pattern(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address for Let's Encrypt"),
  acmeServer: oneOf(["staging", "production"]),
  dnsZone: pattern(DNS_NAME, "a domain managed by DigitalOcean DNS, such as example.com"),

  databaseMode: oneOf(["in-cluster", "managed"]),
  databaseImage: pinnedImage,
  databasePassword: z
    .string({ error: "expected a password" })
    .min(16, "expected a password of at least 16 characters")
    .max(256, "expected a password of at most 256 characters"),
  databaseStorageGi: integer(1, 1000),
  databaseStorageClass: pattern(DNS_SUBDOMAIN, "the name of a StorageClass of the cluster, such as standard"),
  databaseBackupSchedule: pattern(CRON, 'a cron schedule of five fields such as "30 2 * * *"'),
  databaseBackupRetentionDays: integer(1, 3650),
  databaseBackupS3Endpoint: pattern(
    /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/,
    "the http(s) URL of an S3-compatible endpoint without a path, such as https://s3.eu-central-1.amazonaws.com or http://minio.minio.svc:9000",
  ),
  databaseBackupS3Bucket: pattern(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "an S3 bucket name of 3 to 63 lowercase letters, digits, dots and dashes",
  ),
  databaseBackupS3Region: pattern(/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/, "a region such as eu-central-1"),
  databaseBackupS3AccessKeyId: z
    .string({ error: "expected an access key id" })
    .min(1, "expected an access key id"),
  databaseBackupS3SecretAccessKey: z
    .string({ error: "expected a secret access key" })
    .min(1, "expected a secret access key"),
  databaseVersion: pattern(/^\d{2}$/, 'a PostgreSQL major version such as "17"'),
  databaseSize: pattern(/^db-[a-z0-9-]+$/, "a managed database size slug such as db-s-1vcpu-2gb"),
  databaseNodeCount: integer(1, 3),

  velero: boolean(),
  veleroSchedule: pattern(CRON, 'a cron schedule of five fields such as "0 3 * * *"'),
  veleroRetentionDays: integer(1, 365),
  // Checked for shape only: a secret's contents never appear in a message.
  veleroSnapshotToken: z
    .string({ error: "expected a DigitalOcean API token" })
    .min(1, "expected a DigitalOcean API token"),

  observability: oneOf(["off", "metrics", "full"]),
  grafanaHost: pattern(DNS_NAME, "a DNS name such as grafana.example.com"),
  grafanaAdminPassword: z
    .string({ error: "expected a password" })
    .min(16, "expected a password of at least 16 characters")
    .max(256, "expected a password of at most 256 characters"),
  metricsRetentionDays: integer(1, 365),
  metricsStorageGi: integer(1, 1000),
  logsRetentionDays: integer(1, 365),
  logsStorageGi: integer(1, 1000),
} satisfies Record<keyof typeof KEY_TYPES, z.ZodType>);

/** The keys' values after type and range checks, before the cross-key checks. */
export type RawConfig = Partial<z.infer<typeof rawConfigSchema>>;
