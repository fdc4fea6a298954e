export {
  bundledChart,
  bundledDownload,
  downloadPath,
  MANIFEST_DIR,
  bundledImage,
  chartArchivePath,
  CHART_DIR,
  IMAGE_DIRS,
  imageArchivePath,
  K0S_IMAGES_DIR,
  nodeImagesDir,
  normalizeImage,
} from "./layout";
export {
  BundleError,
  bundlePath,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  parseManifest,
  readBundle,
} from "./manifest";
export type {
  BundleChart,
  BundleDownload,
  BundleFile,
  BundleImage,
  BundleManifest,
  ImageTarget,
  OfflineBundle,
} from "./manifest";
export { checkBundleFile, fileDigest, verifyBundle } from "./verify";
