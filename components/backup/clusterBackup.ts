import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config";
import { Velero } from "./velero";

/** Velero where the stack turns it on (`platform:velero`, DOKS only); undefined elsewhere. */
export function createClusterBackup(
  config: PlatformConfig,
  cluster: { readonly provider: k8s.Provider },
): Velero | undefined {
  const velero = "velero" in config ? config.velero : undefined;
  if (!velero) return undefined;
  const token = velero.snapshotToken;
  return new Velero(`platform-${config.stack}-velero`, {
    provider: cluster.provider,
    region: velero.region,
    schedule: velero.schedule,
    retentionDays: velero.retentionDays,
    ...(token ? { snapshotToken: pulumi.secret(token.reveal()) } : {}),
    protect: config.protect,
  });
}
