// Enough of GitHub Actions' expression language to resolve what decides where a job runs and what a
// step gets (`runs-on`, `with`) for a given matrix combination and repository variables: literals,
// context properties, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, parentheses and a few
// functions. Anything else throws, so a spec never passes on an expression it misread.
// See https://docs.github.com/actions/reference/workflows-and-actions/expressions.

/** The contexts an expression can read, e.g. `{ matrix: { stack: "prod" }, vars: {} }`. */
export type Contexts = Readonly<Record<string, unknown>>;

type Token =
  { kind: "literal"; value: unknown } | { kind: "name"; value: string } | { kind: "punct"; value: string };

const PUNCTUATION = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ".", ","];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    const string = /^'((?:[^']|'')*)'/.exec(rest);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    const name = /^[A-Za-z_][\w-]*/.exec(rest);
    const punct = PUNCTUATION.find((p) => rest.startsWith(p));
    if (space) i += space[0].length;
    else if (string) {
      tokens.push({ kind: "literal", value: string[1].replace(/''/g, "'") });
      i += string[0].length;
    } else if (number) {
      tokens.push({ kind: "literal", value: Number(number[0]) });
      i += number[0].length;
    } else if (name) {
      const word = name[0];
      const keywords: Record<string, unknown> = { true: true, false: false, null: null };
      tokens.push(
        word in keywords ? { kind: "literal", value: keywords[word] } : { kind: "name", value: word },
      );
      i += word.length;
    } else if (punct) {
      tokens.push({ kind: "punct", value: punct });
      i += punct.length;
    } else throw new Error(`cannot read the expression at "${rest}"`);
  }
  return tokens;
}

/** GitHub's truthiness: false, 0, -0, NaN, "" and null are falsy; arrays and objects are truthy. */
export function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === "" || value === 0 || Number.isNaN(value));
}

function toNumber(value: unknown): number {
  if (value === null) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim() === "" ? 0 : Number(value);
  return NaN;
}

/** Loose equality as GitHub does it: strings case-insensitively, other mixed types as numbers. */
function equals(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === "object" || typeof b === "object") return a === b;
  return typeof a === typeof b ? a === b : toNumber(a) === toNumber(b);
}

/** A property, looked up case-insensitively as GitHub does; null when missing. */
function property(object: unknown, key: unknown): unknown {
  if (Array.isArray(object) && typeof key === "number") return object[key] ?? null;
  if (object === null || typeof object !== "object") return null;
  const match = Object.keys(object).find((k) => k.toLowerCase() === String(key).toLowerCase());
  return match === undefined ? null : (object as Record<string, unknown>)[match];
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  fromjson: (text) => JSON.parse(String(text)),
  tojson: (value) => JSON.stringify(value, null, 2),
  contains: (haystack, needle) =>
    Array.isArray(haystack)
      ? haystack.some((item) => equals(item, needle))
      : String(haystack).toLowerCase().includes(String(needle).toLowerCase()),
  startswith: (text, prefix) => String(text).toLowerCase().startsWith(String(prefix).toLowerCase()),
  endswith: (text, suffix) => String(text).toLowerCase().endsWith(String(suffix).toLowerCase()),
};

/** An expression parsed into a function of the contexts, so that `&&` and `||` can short-circuit. */
type Node = () => unknown;

/** Evaluates one expression (what stands between `${{` and `}}`). */
export function evaluate(source: string, contexts: Contexts): unknown {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (value: string) => tokens[at]?.kind === "punct" && tokens[at].value === value;
  const expect = (value: string) => {
    if (!peek(value)) throw new Error(`expected "${value}" in ${source}`);
    at++;
  };

  const binary = (next: () => Node, apply: Record<string, (a: Node, b: Node) => unknown>): Node => {
    let left = next();
    for (let op = Object.keys(apply).find(peek); op !== undefined; op = Object.keys(apply).find(peek)) {
      at++;
      const [l, r, f] = [left, next(), apply[op]];
      left = () => f(l, r);
    }
    return left;
  };
  const or = (): Node =>
    binary(and, {
      "||": (a, b) => {
        const left = a();
        return truthy(left) ? left : b();
      },
    });
  const and = (): Node =>
    binary(equality, {
      "&&": (a, b) => {
        const left = a();
        return truthy(left) ? b() : left;
      },
    });
  const equality = (): Node =>
    binary(comparison, { "==": (a, b) => equals(a(), b()), "!=": (a, b) => !equals(a(), b()) });
  const comparison = (): Node =>
    binary(unary, {
      "<=": (a, b) => toNumber(a()) <= toNumber(b()),
      ">=": (a, b) => toNumber(a()) >= toNumber(b()),
      "<": (a, b) => toNumber(a()) < toNumber(b()),
      ">": (a, b) => toNumber(a()) > toNumber(b()),
    });
  const unary = (): Node => {
    if (!peek("!")) return postfix();
    at++;
    const operand = unary();
    return () => !truthy(operand());
  };
  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      const object = node;
      if (peek(".")) {
        at++;
        const name = tokens[at++];
        if (name?.kind !== "name") throw new Error(`expected a property name in ${source}`);
        node = () => property(object(), name.value);
      } else if (peek("[")) {
        at++;
        const key = or();
        expect("]");
        node = () => property(object(), key());
      } else return node;
    }
  };
  const primary = (): Node => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`unexpected end of ${source}`);
    if (token.kind === "literal") return () => token.value;
    if (token.kind === "punct" && token.value === "(") {
      const inner = or();
      expect(")");
      return inner;
    }
    if (token.kind === "name" && peek("(")) {
      const fn = FUNCTIONS[token.value.toLowerCase()];
      if (fn === undefined) throw new Error(`function ${token.value} is not supported here`);
      at++;
      const args: Node[] = [];
      while (!peek(")")) {
        if (args.length > 0) expect(",");
        args.push(or());
      }
      at++;
      return () => fn(...args.map((arg) => arg()));
    }
    if (token.kind === "name") {
      const context = Object.keys(contexts).find((k) => k.toLowerCase() === token.value.toLowerCase());
      if (context === undefined) throw new Error(`context ${token.value} is not given (in ${source})`);
      return () => contexts[context];
    }
    throw new Error(`unexpected "${token.value}" in ${source}`);
  };

  const root = or();
  if (at !== tokens.length) throw new Error(`unexpected "${tokens[at].value}" in ${source}`);
  return root();
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * A workflow value with its `${{ … }}` resolved, recursively. A string that is one expression and
 * nothing else keeps the expression's type (an array for `runs-on: ${{ fromJSON(…) }}`); within
 * other text, results are inserted as text.
 */
export function resolve(value: unknown, contexts: Contexts): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, contexts));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, contexts)]));
  if (typeof value !== "string") return value;
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (whole && !whole[1].includes("}}")) return evaluate(whole[1], contexts);
  return value.replace(EXPRESSION, (_, source: string) => {
    const result = evaluate(source, contexts);
    return result === null ? "" : typeof result === "object" ? JSON.stringify(result) : String(result);
  });
}

/**
 * The combinations a `strategy.matrix` runs (its axes crossed, then `include` as GitHub applies
 * it); one empty combination for a job without a matrix. `exclude` and computed matrices throw.
 */
export function matrixCombinations(
  matrix: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown>[] {
  if (matrix === undefined) return [{}];
  const { include = [], exclude, ...axes } = matrix;
  if (exclude !== undefined) throw new Error("matrix.exclude is not supported here");
  if (!Array.isArray(include)) throw new Error("a computed matrix.include is not supported here");
  let combinations: Record<string, unknown>[] = Object.keys(axes).length > 0 ? [{}] : [];
  for (const [axis, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${axis} is not a list`);
    combinations = combinations.flatMap((c) => values.map((v: unknown) => ({ ...c, [axis]: v })));
  }
  // An include entry extends every combination whose original values it does not change; one that
  // extends none becomes a combination of its own.
  for (const entry of include as Record<string, unknown>[]) {
    const fits = combinations.filter((c) =>
      Object.keys(axes).every((a) => !(a in entry) || c[a] === entry[a]),
    );
    for (const combination of fits) Object.assign(combination, entry);
    if (fits.length === 0) combinations.push({ ...entry });
  }
  return combinations;
}
