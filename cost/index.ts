// The monthly cost of a stack, priced from pricing/digitalocean.json: the estimate, its rendering,
// and the README's cost table. Used by the offline plan (scripts/) and the `budget` policy
// (policies/); imports neither.
export * from "./estimate";
export * from "./capacity";
export { costTable, END_MARKER, generatedSection, MarkerError, replaceSection, START_MARKER } from "./table";
