// What a stack runs, read from its offline evaluation: every image (Docker containers, pods, the
// app's builds and their base images) and every Helm chart. Pure: the bundle tool and the tests
// both derive the bundle's contents from it, so nothing is ever listed by hand.
import * as fs from "node:fs";
import { ImageTarget } from "../../../offline";
import { containersOf, podSpecOf } from "../../../policies/lib/podSpec";
import { parseImage } from "../../../reference/image";
import { Evaluation, PlannedResource, UNKNOWN } from "../evaluate";

/** An image the stack needs, and what in the plan asks for it. */
export interface PlannedImage {
  readonly ref: string;
  readonly target: ImageTarget;
  /** URNs (with a path) of what needs it. */
  readonly sources: readonly string[];
  /** Built by the program (docker.Image): its build context and Dockerfile. */
  readonly build?: { readonly context: string; readonly dockerfile: string };
}

/** A Helm chart the stack installs. */
export interface PlannedChart {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
  /** Release name and namespace, and the values the program gives it (unknowns as "unknown"). */
  readonly release: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  readonly source: string;
}

/** Everything the stack pulls, and what cannot be bundled (unpinned or unknown references). */
export interface PlannedArtifacts {
  readonly images: readonly PlannedImage[];
  readonly charts: readonly PlannedChart[];
  /** Kubernetes manifests the program reads from a URL at deployment (yaml.v2.ConfigFile). */
  readonly downloads: readonly { readonly url: string; readonly source: string }[];
  /** Charts installed from a local archive (a stack that uses an offline bundle). */
  readonly chartFiles: readonly { readonly file: string; readonly source: string }[];
  readonly problems: readonly string[];
}

const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
const CONTAINER = "docker:index/container:Container";
const BUILD = "docker:index/image:Image";
const COMMAND = "command:local:Command";
const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";
const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";

/** The http(s) URLs a manifest resource reads at deployment (`file`, or `files` of a group). */
function manifestUrls(r: PlannedResource): string[] {
  const { file, files } = r.inputs;
  const all = [file, ...(Array.isArray(files) ? files : [])];
  return all.filter((f): f is string => typeof f === "string" && /^https?:\/\//.test(f));
}
const CHARTS = new Set([
  "kubernetes:helm.sh/v4:Chart",
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:helm.sh/v3:Chart",
]);

/** Whether a reference is pinned: a digest, or an exact tag other than `latest`. */
export function isPinned(ref: string): boolean {
  try {
    const parsed = parseImage(ref);
    return parsed.digest !== undefined || (parsed.tag !== undefined && parsed.tag !== "latest");
  } catch {
    return false;
  }
}

/**
 * The base images of a Dockerfile (`FROM` lines), leaving out earlier stages and `scratch`.
 * A `FROM` with a build argument cannot be resolved offline and is returned as-is (then refused).
 */
export function dockerfileBaseImages(text: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!match) continue;
    const [, image, stage] = match;
    if (!stages.has(image.toLowerCase()) && image !== "scratch" && !images.includes(image))
      images.push(image);
    if (stage) stages.add(stage.toLowerCase());
  }
  return images;
}

/** Reads the stack's images and charts from its evaluation. */
export function planArtifacts(
  evaluation: Evaluation,
  readFile: (file: string) => string = (file) => fs.readFileSync(file, "utf8"),
): PlannedArtifacts {
  const images = new Map<
    string,
    { ref: string; target: ImageTarget; sources: string[]; build?: PlannedImage["build"] }
  >();
  const charts: PlannedChart[] = [];
  const chartFiles: { file: string; source: string }[] = [];
  const downloads: { url: string; source: string }[] = [];
  const problems: string[] = [];
  const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  const add = (ref: unknown, target: ImageTarget, source: string, build?: PlannedImage["build"]) => {
    if (typeof ref !== "string" || ref === UNKNOWN) {
      problems.push(`${source}: the image is not known offline`);
      return;
    }
    if (!isPinned(ref)) {
      problems.push(
        `${source}: image ${ref} is not pinned (an exact tag or a digest); the bundle takes pinned references only`,
      );
      return;
    }
    const key = `${target} ${ref}`;
    const entry = images.get(key) ?? { ref, target, sources: [], ...(build ? { build } : {}) };
    entry.sources.push(source);
    images.set(key, entry);
  };

  for (const r of evaluation.resources) {
    if (r.type === REMOTE_IMAGE) add(r.inputs.name, "host", `${r.urn} name`);
    else if (r.type === CONTAINER) add(r.inputs.image, "host", `${r.urn} image`);
    else if (r.type === BUILD) addBuild(r, add, readFile, problems);
    else if (CHARTS.has(r.type) && isLocalChart(r))
      chartFiles.push({ file: r.inputs.chart as string, source: r.urn });
    else if (CHARTS.has(r.type)) addChart(r, charts, problems);
    else if (r.type === CONFIG_FILE || r.type === CONFIG_GROUP)
      for (const url of manifestUrls(r)) downloads.push({ url, source: r.urn });
    else if (r.type === COMMAND && bundledPush(r))
      add(bundledPush(r), "registry", `${r.urn} environment.BUNDLED`);
    else addPods(r, byUrn, add);
  }
  return { images: [...images.values()], charts, chartFiles, downloads, problems };
}

type Add = (ref: unknown, target: ImageTarget, source: string, build?: PlannedImage["build"]) => void;

function addBuild(
  r: PlannedResource,
  add: Add,
  readFile: (file: string) => string,
  problems: string[],
): void {
  const build = r.inputs.build as { context?: unknown; dockerfile?: unknown } | undefined;
  const context = typeof build?.context === "string" ? build.context : undefined;
  const dockerfile = typeof build?.dockerfile === "string" ? build.dockerfile : undefined;
  if (!context || !dockerfile) {
    problems.push(`${r.urn}: a build without a known context and Dockerfile`);
    return;
  }
  add(r.inputs.imageName, "registry", `${r.urn} imageName`, { context, dockerfile });
  for (const base of dockerfileBaseImages(readFile(dockerfile))) add(base, "host", `${dockerfile} FROM`);
}

function addChart(r: PlannedResource, charts: PlannedChart[], problems: string[]): void {
  const { chart, version } = r.inputs;
  const repo = (r.inputs.repositoryOpts as { repo?: unknown } | undefined)?.repo;
  if (typeof chart !== "string" || typeof version !== "string" || typeof repo !== "string") {
    problems.push(`${r.urn}: chart, version and repository must be known to bundle it`);
    return;
  }
  const known = (value: unknown) => (typeof value === "string" && value !== UNKNOWN ? value : undefined);
  charts.push({
    chart,
    version,
    repo,
    release: known(r.inputs.name) ?? r.name,
    namespace: known(r.inputs.namespace) ?? "default",
    values: withoutUnknowns(r.inputs.values ?? {}) as Record<string, unknown>,
    source: r.urn,
  });
}

/**
 * Pod images: a known reference is pulled onto the node; an unknown one (the digest a push returns)
 * must come from an image the program builds, which the bundle then carries.
 */
function addPods(r: PlannedResource, byUrn: Map<string, PlannedResource>, add: Add): void {
  const pod = podSpecOf(r.type, r.inputs);
  if (!pod) return;
  // The repositories of the app images it depends on (built, or pushed from a bundle).
  const builds = r.dependencies.flatMap((urn) => {
    const dependency = byUrn.get(urn);
    const name =
      dependency?.type === BUILD ? dependency.inputs.imageName : dependency && bundledPush(dependency);
    return typeof name === "string" && name !== UNKNOWN ? [repositoryOf(name)] : [];
  });
  for (const { container, label } of containersOf(pod)) {
    const image = container.image;
    // Carried as the build's image: unknown until the push returns its digest, or that digest.
    if (image === UNKNOWN && builds.length > 0) continue;
    if (typeof image === "string" && image !== UNKNOWN && builds.includes(repositoryOf(image))) continue;
    add(image, "node", `${r.urn} ${label}`);
  }
}

const isLocalChart = (r: PlannedResource) =>
  typeof r.inputs.chart === "string" && /^(\/|\.{1,2}\/)/.test(r.inputs.chart);

/** The bundle's image a command pushes into the local registry (components/app/bundledPush.ts). */
function bundledPush(r: PlannedResource): string | undefined {
  if (r.type !== COMMAND) return undefined;
  const bundled = (r.inputs.environment as { BUNDLED?: unknown } | undefined)?.BUNDLED;
  return typeof bundled === "string" ? bundled : undefined;
}

/** A reference without its tag and digest, in full form. */
function repositoryOf(ref: string): string {
  try {
    const parsed = parseImage(ref);
    return `${parsed.domain}/${parsed.repository}`;
  } catch {
    return ref;
  }
}

function withoutUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return "unknown";
  if (Array.isArray(value)) return value.map(withoutUnknowns);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutUnknowns(v)]));
  return value;
}
