import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { K0S_IMAGES_DIR, nodeImagesDir, OfflineBundle } from "../../offline";
import { criRegistryDropIn, mirrorHostsFile, RegistryMirror } from "./containerd";
import { hostImage } from "./hostImage";
import { rewriteServer } from "./kubeconfig";
import { Cluster } from "./types";

/**
 * NodePorts of the ingress controller's HTTP and HTTPS entry points on the local node. The node
 * container publishes them on 127.0.0.1, so pods need neither hostPort nor hostNetwork.
 */
export const LOCAL_INGRESS_NODE_PORTS = { http: 30080, https: 30443 } as const;

const API_PORT = 6443;

/** Arguments of {@link K0sCluster}. */
export interface K0sClusterArgs {
  /** k0s release, e.g. `v1.36.3+k0s.2`; decides the containerd drop-in format. */
  readonly k0sVersion: string;
  /** The k0s image for that release, pinned by tag. */
  readonly image: string;
  /** Port on 127.0.0.1 for the Kubernetes API. */
  readonly apiPort: number;
  /** Ports on 127.0.0.1 for the ingress's HTTP and HTTPS entry points. */
  readonly ingressHttpPort: number;
  readonly ingressHttpsPort: number;
  /** Docker network shared with the local registry. */
  readonly networkName: pulumi.Input<string>;
  /** The local registry, as image references name it and as the node reaches it. */
  readonly registryMirror: RegistryMirror;
  /**
   * Start from this offline bundle: the node's image is loaded from it, and the node imports the
   * bundle's pod images at start (k0s reads image archives from its `images` folder). Default: pull.
   */
  readonly offlineBundle?: OfflineBundle;
}

/** k0s configuration with an offline bundle: no telemetry (it would reach the network). */
export const K0S_OFFLINE_CONFIG = {
  file: "/etc/k0s/k0s.yaml",
  content: [
    "apiVersion: k0s.k0sproject.io/v1beta1",
    "kind: ClusterConfig",
    "metadata:",
    "  name: k0s",
    "spec:",
    "  telemetry:",
    "    enabled: false",
    "",
  ].join("\n"),
};

/**
 * A single-node k0s cluster (controller and worker, no taints) in a privileged Docker container,
 * its API published on 127.0.0.1 only, pulling from the local registry over HTTP.
 */
export class K0sCluster extends pulumi.ComponentResource implements Cluster {
  public readonly clusterName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  /** Host that image references for the local registry start with. */
  public readonly registryHost: string;

  constructor(name: string, args: K0sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:K0sCluster", name, {}, opts);
    const child = { parent: this };

    const bundle = args.offlineBundle;
    const image = hostImage(`${name}-image`, args.image, bundle, this);
    const data = new docker.Volume(`${name}-data`, { name: `${name}-data` }, child);
    const podLogs = new docker.Volume(`${name}-pod-logs`, { name: `${name}-pod-logs` }, child);
    const loopback = (internal: number, external: number) => ({
      internal,
      external,
      ip: "127.0.0.1",
      protocol: "tcp",
    });

    const node = new docker.Container(
      `${name}-node`,
      {
        name: `${name}-node`,
        hostname: `${name}-node`,
        // The pinned reference (not the image ID), so previews and policies see what runs.
        image: image.name,
        // The image's default command taints the node NoExecute: app pods would never schedule.
        command: [
          "k0s",
          "controller",
          "--enable-worker",
          "--no-taints",
          ...(bundle ? [`--config=${K0S_OFFLINE_CONFIG.file}`] : []),
        ],
        privileged: true,
        restart: "unless-stopped",
        volumes: [
          { volumeName: data.name, containerPath: "/var/lib/k0s" },
          { volumeName: podLogs.name, containerPath: "/var/log/pods" },
          // The bundle's pod images, imported by k0s at start (read-only: k0s only reads them).
          ...(bundle
            ? [{ hostPath: nodeImagesDir(bundle), containerPath: K0S_IMAGES_DIR, readOnly: true }]
            : []),
        ],
        tmpfs: { "/run": "" },
        ports: [
          loopback(API_PORT, args.apiPort),
          loopback(LOCAL_INGRESS_NODE_PORTS.http, args.ingressHttpPort),
          loopback(LOCAL_INGRESS_NODE_PORTS.https, args.ingressHttpsPort),
        ],
        networksAdvanced: [{ name: args.networkName }],
        uploads: [
          criRegistryDropIn(args.k0sVersion),
          mirrorHostsFile(args.registryMirror),
          ...(bundle ? [K0S_OFFLINE_CONFIG] : []),
        ],
        // `wait` holds the resource until this passes, so the kubeconfig is read from a live API.
        healthcheck: {
          tests: ["CMD", "k0s", "kubectl", "get", "--raw=/readyz"],
          interval: "5s",
          timeout: "5s",
          startPeriod: "20s",
          retries: 60,
        },
        wait: true,
        waitTimeout: 300,
      },
      child,
    );

    const admin = new command.local.Command(
      `${name}-kubeconfig`,
      {
        create: pulumi.interpolate`docker exec ${node.name} k0s kubeconfig admin`,
        triggers: [node.id],
        logging: "stderr",
      },
      { parent: this, dependsOn: [node], additionalSecretOutputs: ["stdout"] },
    );

    const server = `https://localhost:${args.apiPort}`;
    this.clusterName = node.name;
    this.endpoint = pulumi.output(server);
    this.kubeconfig = pulumi.secret(admin.stdout.apply((text) => rewriteServer(text, server)));
    this.registryHost = args.registryMirror.host;
    // A laptop cluster can vanish with its container; let Pulumi forget its objects then.
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, deleteUnreachable: true },
      child,
    );

    // KEP-1755: tells tools (Tilt, Skaffold, ...) which registry this cluster pulls from.
    new k8s.core.v1.ConfigMap(
      `${name}-local-registry-hosting`,
      {
        metadata: { name: "local-registry-hosting", namespace: "kube-public" },
        data: {
          "localRegistryHosting.v1": `host: "${args.registryMirror.host}"\nhelp: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry"\n`,
        },
      },
      { parent: this, provider: this.provider },
    );

    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
    });
  }
}
