import { PlatformConfig } from "../config";
import { Cluster, DoksCluster, ExistingCluster, K0sCluster } from "./cluster";
import { DigitalOceanRegistry, externalRegistry, LocalRegistry, Registry } from "./registry";

/** The platform layer of a stack: the cluster and the registry its images come from. */
export interface PlatformLayer {
  readonly cluster: Cluster;
  readonly registry: Registry;
}

/**
 * Builds (or, for an existing cluster, connects to) the cluster and registry the stack's
 * configuration asks for. The registry comes first on k0s and DOKS: the local one owns the Docker
 * network the k0s node joins, and DigitalOcean needs the registry to exist before a cluster can
 * integrate it.
 */
export function createPlatform(config: PlatformConfig): PlatformLayer {
  const name = `platform-${config.stack}`;
  if (config.cluster.provider === "existing") {
    const { provider: _provider, ...existing } = config.cluster;
    const registry = config.registry as Extract<PlatformConfig["registry"], { provider: "external" }>;
    return { cluster: new ExistingCluster(name, existing), registry: externalRegistry(registry) };
  }
  if (config.cluster.provider === "k0s") {
    const local = config.registry as Extract<PlatformConfig["registry"], { provider: "local" }>;
    const offlineBundle = "offlineBundle" in config ? config.offlineBundle : undefined;
    const registry = new LocalRegistry(`${name}-registry`, {
      image: local.image,
      port: local.port,
      ...(offlineBundle ? { offlineBundle } : {}),
    });
    const cluster = new K0sCluster(name, {
      k0sVersion: config.cluster.k0sVersion,
      image: config.cluster.image,
      apiPort: config.cluster.apiPort,
      ingressHttpPort: config.cluster.ingressHttpPort,
      ingressHttpsPort: config.cluster.ingressHttpsPort,
      networkName: registry.networkName,
      registryMirror: registry.mirror,
      ...(offlineBundle ? { offlineBundle } : {}),
    });
    return { cluster, registry };
  }
  const docr = config.registry as Extract<PlatformConfig["registry"], { provider: "docr" }>;
  const registry = new DigitalOceanRegistry(`${name}-registry`, {
    registryName: docr.name,
    tier: docr.tier,
    region: docr.region,
    protect: config.protect,
  });
  const { provider: _provider, ...doks } = config.cluster;
  const cluster = new DoksCluster(name, {
    ...doks,
    tags: config.tags,
    protect: config.protect,
    registry: registry.registry,
  });
  return { cluster, registry };
}
