import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { type DocumentNode, GraphQLError, Kind, visit } from "graphql";

/** In a `u` regular expression a surrogate pair is one code point; only a half of one is a `Cs` code point. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be accepted, or undefined when it can. */
function textProblem(value: string): string | undefined {
  if (value.includes("\u0000")) return "holds a NUL character";
  if (LONE_SURROGATE.test(value)) return "holds a lone UTF-16 surrogate (half of a character)";
  return undefined;
}

interface Finding {
  readonly message: string;
  /** The input field that holds the text, as type-graphql's argument errors name it. */
  readonly field?: string;
}

/** `$input.sensors[0].unit` → `unit`. */
const lastName = (path: string): string =>
  path
    .replace(/\[\d+\]$/, "")
    .split(".")
    .at(-1)
    ?.replace(/^\$/, "") ?? path;

interface Pending {
  readonly value: unknown;
  readonly path: string;
}

/**
 * The first string of a request's variables that no store can hold, with where it is. Iterative,
 * so a deeply nested variable cannot exhaust the stack; every value is visited once.
 */
function findInVariables(variables: unknown): Finding | undefined {
  const stack: Pending[] = [{ value: variables, path: "" }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { message: `The variable ${path} ${problem}.`, field: lastName(path) };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]` });
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const keyProblem = textProblem(key);
        if (keyProblem) return { message: `A field name in the variable ${path} ${keyProblem}.`, field: lastName(path) };
        stack.push({ value: child, path: path === "" ? `$${key}` : `${path}.${key}` });
      }
    }
  }
  return undefined;
}

function findInDocument(document: DocumentNode): Finding | undefined {
  let found: Finding | undefined;
  visit(document, {
    [Kind.STRING]: (node) => {
      const problem = textProblem(node.value);
      if (problem && !found) found = { message: `A string in the query ${problem}.` };
    },
  });
  return found;
}

/**
 * One check of every text input, for every operation before it runs: a NUL or a lone surrogate is
 * the caller's mistake (VALIDATION), never a store's error surfacing as INTERNAL.
 */
export function checkTextInput(document: DocumentNode, variables: unknown): GraphQLError | undefined {
  const found = findInDocument(document) ?? findInVariables(variables);
  if (found === undefined) return undefined;
  return new GraphQLError(`${found.message} Send text as valid Unicode without NUL or other control characters.`, {
    extensions: { code: "BAD_USER_INPUT", ...(found.field ? { field: found.field } : {}) },
  });
}

/** The check as an Apollo plugin: it runs once the operation is known, before any resolver. */
export function textInputPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const error = checkTextInput(document, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
