// Writes an offline bundle: pulls, builds and saves the images, fetches the charts, and records
// each archive's digest and size in bundle.json. The external tools (docker, helm) are behind
// `BundleTools`, so that the steps can be tested without a network.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  BundleChart,
  BundleDownload,
  BundleError,
  BundleImage,
  BundleManifest,
  chartArchivePath,
  CHART_DIR,
  downloadPath,
  fileDigest,
  IMAGE_DIRS,
  ImageTarget,
  imageArchivePath,
  MANIFEST_DIR,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  normalizeImage,
} from "../../../offline";
import { isPinned, PlannedArtifacts, PlannedChart, PlannedImage } from "./artifacts";
import { parseImageList, renderedImages } from "./chartImages";

/** Runs a program and returns its standard output; throws (with its stderr) when it fails. */
export type Run = (program: string, args: readonly string[]) => string;

/** The docker and helm steps, as commands. */
export interface BundleTools {
  readonly run: Run;
  /** Downloads `url` into `file` (https; a manifest the program reads at deployment). */
  readonly download: (url: string, file: string) => Promise<void>;
  readonly log: (line: string) => void;
}

/** An image to save, with where it goes and why. */
interface Wanted {
  readonly ref: string;
  readonly target: ImageTarget;
  readonly build?: PlannedImage["build"];
  readonly why: string;
}

/** The k0s node's container image (it runs `k0s controller`): the one whose own images k0s lists. */
export function k0sNodeImages(planned: PlannedArtifacts): string[] {
  return planned.images
    .filter((image) => image.target === "host" && /(^|\/)k0sproject\/k0s:/.test(normalizeImage(image.ref)))
    .map((image) => image.ref);
}

/**
 * Makes the bundle for `planned` in `outDir`: charts first (their rendered images join the list),
 * then k0s's own images, then every image pulled (or built) and saved. Returns the manifest it wrote.
 */
export async function makeBundle(
  stack: string,
  planned: PlannedArtifacts,
  outDir: string,
  tools: BundleTools,
): Promise<BundleManifest> {
  if (planned.problems.length > 0)
    throw new BundleError(
      `the plan of stack ${stack} cannot be bundled:\n${planned.problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  for (const dir of [...Object.values(IMAGE_DIRS), CHART_DIR, MANIFEST_DIR])
    fs.mkdirSync(path.join(outDir, dir), { recursive: true });

  const wanted: Wanted[] = planned.images.map((image) => ({
    ref: image.ref,
    target: image.target,
    ...(image.build ? { build: image.build } : {}),
    why: image.sources.join(", "),
  }));
  const charts = planned.charts.map((chart) => {
    const entry = fetchChart(chart, outDir, tools);
    for (const ref of renderChartImages(chart, path.join(outDir, entry.file), tools))
      wanted.push({ ref, target: "node", why: `chart ${chart.chart} ${chart.version}` });
    return entry;
  });
  const manifests: BundleDownload[] = [];
  for (const { url, source } of planned.downloads) {
    if (manifests.some((m) => m.url === url)) continue;
    const file = downloadPath(url);
    tools.log(`download ${url}`);
    await tools.download(url, path.join(outDir, file));
    manifests.push({ url, ...fileFacts(outDir, file) });
    // Whatever pods the manifest runs (a CRD bundle runs none) come along too.
    for (const ref of renderedImages(fs.readFileSync(path.join(outDir, file), "utf8"), url))
      wanted.push({ ref, target: "node", why: `${url} (for ${source})` });
  }
  for (const node of k0sNodeImages(planned)) {
    tools.run("docker", ["pull", node]);
    const listed = parseImageList(
      tools.run("docker", ["run", "--rm", "--entrypoint", "k0s", node, "airgap", "list-images"]),
    );
    for (const ref of listed) wanted.push({ ref, target: "node", why: `k0s airgap list-images (${node})` });
  }

  const unpinned = wanted.filter((w) => !isPinned(w.ref));
  if (unpinned.length > 0)
    throw new BundleError(
      `unpinned image references: ${unpinned.map((w) => `${w.ref} (${w.why})`).join(", ")}`,
    );
  const seen = new Set<string>();
  const images = wanted
    .filter((w) => {
      const key = `${w.target} ${normalizeImage(w.ref)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((w) => saveImage(w, outDir, tools));

  const manifest: BundleManifest = { version: MANIFEST_VERSION, stack, images, charts, manifests };
  fs.writeFileSync(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function fetchChart(chart: PlannedChart, outDir: string, tools: BundleTools): BundleChart {
  const file = chartArchivePath(chart.chart, chart.version);
  tools.log(`chart ${chart.chart} ${chart.version} from ${chart.repo}`);
  const args = [
    "pull",
    chart.chart,
    "--repo",
    chart.repo,
    "--version",
    chart.version,
    "--destination",
    path.join(outDir, "charts"),
  ];
  tools.run("helm", args);
  const full = path.join(outDir, file);
  if (!fs.existsSync(full)) throw new BundleError(`helm pull wrote no ${file}`);
  return { chart: chart.chart, version: chart.version, repo: chart.repo, ...fileFacts(outDir, file) };
}

/** Renders the fetched chart with the values the program gives it and lists its pods' images. */
function renderChartImages(chart: PlannedChart, archive: string, tools: BundleTools): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-values-"));
  try {
    const values = path.join(dir, "values.json");
    fs.writeFileSync(values, JSON.stringify(chart.values));
    const rendered = tools.run("helm", [
      "template",
      chart.release,
      archive,
      "--namespace",
      chart.namespace,
      "--values",
      values,
    ]);
    return renderedImages(rendered, `helm template ${chart.chart} ${chart.version}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function saveImage(w: Wanted, outDir: string, tools: BundleTools): BundleImage {
  const file = imageArchivePath(w.ref, w.target);
  let digest: string | undefined;
  if (w.build) {
    tools.log(`build ${w.ref} from ${w.build.context}`);
    tools.run("docker", ["build", "--tag", w.ref, "--file", w.build.dockerfile, w.build.context]);
  } else {
    tools.log(`pull ${w.ref}`);
    tools.run("docker", ["pull", w.ref]);
    digest = repoDigest(
      w.ref,
      tools.run("docker", ["image", "inspect", "--format", "{{json .RepoDigests}}", w.ref]),
    );
  }
  tools.run("docker", ["save", "--output", path.join(outDir, file), w.ref]);
  return { ref: w.ref, ...(digest ? { digest } : {}), target: w.target, ...fileFacts(outDir, file) };
}

/** The manifest digest of `ref` among `docker image inspect`'s RepoDigests (JSON list). */
export function repoDigest(ref: string, inspected: string): string {
  const name = normalizeImage(ref).replace(/(:[^/:@]+)?(@.*)?$/, "");
  const digests = JSON.parse(inspected.trim() || "[]") as string[];
  const match = digests.find((d) => normalizeImage(d).startsWith(`${name}@`));
  if (!match)
    throw new BundleError(`docker reports no registry digest for ${ref} (RepoDigests: ${inspected.trim()})`);
  return match.slice(match.indexOf("@") + 1);
}

function fileFacts(outDir: string, file: string): { file: string; fileDigest: string; size: number } {
  const full = path.join(outDir, file);
  return { file, fileDigest: fileDigest(full), size: fs.statSync(full).size };
}
