import { inspect } from "node:util";

/**
 * A secret configuration value. It never prints: `String()`, JSON and `console.log` show
 * `[secret]`. Components pass {@link SecretValue.reveal} straight into `pulumi.secret(...)`, so
 * the value travels as a Pulumi secret from the stack file to the state.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plaintext, for `pulumi.secret(...)` only. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[secret]";
  }

  toJSON(): string {
    return "[secret]";
  }

  [inspect.custom](): string {
    return "[secret]";
  }
}
