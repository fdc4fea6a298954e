import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** The Prometheus registry `/metrics` serves and the request instruments the router feeds. */
export interface Metrics {
  readonly registry: Registry;
  /** Records one finished request; `route` is the route pattern (`/items/:id`), never the raw path. */
  observe(method: string, route: string, status: number, seconds: number): void;
}

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** A fresh registry (one per server, so tests can run several) with Node's default metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests served, by method, route and status code.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to serve HTTP requests, by method, route and status code.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe(method, route, status, seconds) {
      // Bounded label values: an arbitrary method string must not create a new series.
      const labels = { method: KNOWN_METHODS.has(method) ? method : "OTHER", route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
