/** The labels that identify one component of the app: selectors and policies use these. */
export function componentLabels(component: string): Record<string, string> {
  return { "app.kubernetes.io/name": component, "app.kubernetes.io/part-of": "platform-app" };
}
