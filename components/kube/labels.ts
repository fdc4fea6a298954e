/** The labels that identify one component of the app: selectors and policies use these. */
export function componentLabels(component: string): Record<string, string> {
  return { "app.kubernetes.io/name": component, "app.kubernetes.io/part-of": "platform-app" };
}

/**
 * Spreads the pods with these labels across nodes, preferring but not requiring balance, so that
 * a rollout or a drain on a small cluster still schedules.
 */
export function spreadAcrossNodes(labels: Record<string, string>) {
  return {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: labels },
      },
    ],
  };
}
