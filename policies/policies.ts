// The policy list, in a module of its own so tests and tools import it without starting the analyzer.
import type { Policies } from "@pulumi/policy";
import { disallowHostNamespaces } from "./workload/disallowHostNamespaces";
import { disallowHostPath } from "./workload/disallowHostPath";
import { disallowHostPorts } from "./workload/disallowHostPorts";
import { disallowHostProcess } from "./workload/disallowHostProcess";
import { disallowPrivilegeEscalation } from "./workload/disallowPrivilegeEscalation";
import { disallowPrivilegedContainers } from "./workload/disallowPrivilegedContainers";
import { disallowProbeHost } from "./workload/disallowProbeHost";
import { disallowSecretEnvLiterals } from "./workload/disallowSecretEnvLiterals";
import { disallowServiceAccountTokenAutomount } from "./workload/disallowServiceAccountTokenAutomount";
import { disallowUnpinnedImages } from "./workload/disallowUnpinnedImages";
import { requireDropAllCapabilities } from "./workload/requireDropAllCapabilities";
import { requireNonRoot } from "./workload/requireNonRoot";
import { requireProbes } from "./workload/requireProbes";
import { requireReadOnlyRootFilesystem } from "./workload/requireReadOnlyRootFilesystem";
import { requireResourceLimits } from "./workload/requireResourceLimits";
import { requireSeccompProfile } from "./workload/requireSeccompProfile";
import { restrictAddedCapabilities } from "./workload/restrictAddedCapabilities";
import { restrictAppArmor } from "./workload/restrictAppArmor";
import { restrictProcMount } from "./workload/restrictProcMount";
import { restrictSeLinux } from "./workload/restrictSeLinux";
import { restrictSeccomp } from "./workload/restrictSeccomp";
import { restrictSysctls } from "./workload/restrictSysctls";
import { restrictVolumeTypes } from "./workload/restrictVolumeTypes";
import { disallowDefaultNamespace } from "./resources/disallowDefaultNamespace";
import { disallowExternalIps } from "./resources/disallowExternalIps";
import { disallowNodePortServices } from "./resources/disallowNodePortServices";
import { disallowPrivilegedDockerContainers } from "./resources/disallowPrivilegedDockerContainers";
import { disallowSecretsInConfigMaps } from "./resources/disallowSecretsInConfigMaps";
import { disallowWildcardHostnames } from "./resources/disallowWildcardHostnames";
import { requireDatabaseStandby } from "./resources/requireDatabaseStandby";
import { requireDoksResilience } from "./resources/requireDoksResilience";
import { requireGatewayTls } from "./resources/requireGatewayTls";
import { requireIngressTls } from "./resources/requireIngressTls";
import { requirePinnedDockerImages } from "./resources/requirePinnedDockerImages";
import { requirePinnedDoksVersion } from "./resources/requirePinnedDoksVersion";
import { requirePinnedHelmCharts } from "./resources/requirePinnedHelmCharts";
import { restrictDocrTier } from "./resources/restrictDocrTier";
import { restrictLoadBalancerServices } from "./resources/restrictLoadBalancerServices";
import { disallowReplicasWithHpa } from "./stack/disallowReplicasWithHpa";
import { enforceBudget } from "./stack/enforceBudget";
import { requireCapacity } from "./stack/requireCapacity";
import { requireDatabaseFirewall } from "./stack/requireDatabaseFirewall";
import { requireHpaMinReplicas } from "./stack/requireHpaMinReplicas";
import { requireNamespacePsaLabels } from "./stack/requireNamespacePsaLabels";
import { requireMultipleReplicas } from "./stack/requireMultipleReplicas";
import { requireNetworkPolicies } from "./stack/requireNetworkPolicies";
import { requirePodDisruptionBudget } from "./stack/requirePodDisruptionBudget";
import { requireReferenceGrants } from "./stack/requireReferenceGrants";
import { requireTopologySpread } from "./stack/requireTopologySpread";

/** Workload policies: every pod-carrying kind, every container list. */
export const workloadPolicies: Policies = [
  disallowHostNamespaces,
  disallowHostPath,
  disallowHostPorts,
  disallowHostProcess,
  disallowPrivilegeEscalation,
  disallowPrivilegedContainers,
  disallowProbeHost,
  disallowSecretEnvLiterals,
  disallowServiceAccountTokenAutomount,
  disallowUnpinnedImages,
  requireDropAllCapabilities,
  requireNonRoot,
  requireProbes,
  requireReadOnlyRootFilesystem,
  requireResourceLimits,
  requireSeccompProfile,
  restrictAddedCapabilities,
  restrictAppArmor,
  restrictProcMount,
  restrictSeLinux,
  restrictSeccomp,
  restrictSysctls,
  restrictVolumeTypes,
];

/** Policies for Services, Ingresses, ConfigMaps, Helm, Docker and DigitalOcean resources. */
export const resourcePolicies: Policies = [
  disallowDefaultNamespace,
  disallowExternalIps,
  disallowNodePortServices,
  disallowPrivilegedDockerContainers,
  disallowSecretsInConfigMaps,
  disallowWildcardHostnames,
  requireDatabaseStandby,
  requireDoksResilience,
  requireGatewayTls,
  requireIngressTls,
  requirePinnedDockerImages,
  requirePinnedDoksVersion,
  requirePinnedHelmCharts,
  restrictDocrTier,
  restrictLoadBalancerServices,
];

/**
 * Checks that span resources (network policies, disruption budgets, replicas and spread, autoscaling,
 * namespaces, databases, cost, capacity).
 */
export const stackPolicies: Policies = [
  disallowReplicasWithHpa,
  enforceBudget,
  requireCapacity,
  requireDatabaseFirewall,
  requireHpaMinReplicas,
  requireMultipleReplicas,
  requireNamespacePsaLabels,
  requireNetworkPolicies,
  requirePodDisruptionBudget,
  requireReferenceGrants,
  requireTopologySpread,
];

/**
 * Policies that judge a whole Pulumi stack rather than Kubernetes objects: the manifest check
 * (`npm run policy`) leaves them out.
 */
export const STACK_ONLY_POLICIES: ReadonlySet<string> = new Set([enforceBudget.name, requireCapacity.name]);

/** Every policy of the k8s-platform pack. */
export const policies: Policies = [...workloadPolicies, ...resourcePolicies, ...stackPolicies];
