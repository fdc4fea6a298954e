/**
 * containerd configuration that lets a k0s node pull from a plain-HTTP registry mirror.
 *
 * k0s imports `*.toml` drop-ins from /etc/k0s/containerd.d/. From k0s 1.36 on it runs containerd 2,
 * whose drop-ins must be `version = 3` and use the `io.containerd.cri.v1.images` plugin; a
 * `version = 2` drop-in (the only form containerd 1.7 in k0s ≤ 1.35 accepts) makes k0s 1.36+ exit
 * at pre-flight. So the form follows the pinned k0s version.
 */
export const CONTAINERD_DROP_IN_DIR = "/etc/k0s/containerd.d";
const CERTS_DIR = `${CONTAINERD_DROP_IN_DIR}/certs.d`;

/** One registry the node reaches under another address, e.g. `localhost:5001` → `http://registry:5000`. */
export interface RegistryMirror {
  /** Host (and port) that image references use, from the laptop and from the node alike. */
  readonly host: string;
  /** Where the node really reaches it, with scheme: the registry container on the shared network. */
  readonly endpoint: string;
}

/** A file to place in the node container before it starts. */
export interface NodeFile {
  readonly file: string;
  readonly content: string;
}

/** Parses `v1.36.3+k0s.2` into its minor version, 36. */
export function k0sMinorVersion(k0sVersion: string): number {
  const match = /^v1\.(\d+)\.\d+\+k0s\.\d+$/.exec(k0sVersion);
  if (!match) throw new Error(`k0sVersion: expected a release such as v1.36.3+k0s.2, got ${k0sVersion}`);
  return Number(match[1]);
}

/** The drop-in that points containerd's CRI at certs.d, in the format of the k0s release. */
export function criRegistryDropIn(k0sVersion: string): NodeFile {
  const content =
    k0sMinorVersion(k0sVersion) >= 36
      ? `version = 3\n\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "${CERTS_DIR}"\n`
      : `version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CERTS_DIR}"\n`;
  return { file: `${CONTAINERD_DROP_IN_DIR}/cri-registry.toml`, content };
}

/** certs.d/<host>/hosts.toml: pull and resolve `host` through `endpoint` (plain HTTP allowed). */
export function mirrorHostsFile(mirror: RegistryMirror): NodeFile {
  const content = [
    `server = "${mirror.endpoint}"`,
    "",
    `[host."${mirror.endpoint}"]`,
    `  capabilities = ["pull", "resolve"]`,
    "",
  ].join("\n");
  return { file: `${CERTS_DIR}/${mirror.host}/hosts.toml`, content };
}
