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

interface Pending {
  readonly value: unknown;
  readonly path: string;
}

/**
 * The first string of a request's variables that no store can hold, with where it is. Iterative,
 * so a deeply nested variable cannot exhaust the stack; every value is visited once.
 */
function findInVariables(variables: unknown): string | undefined {
  const stack: Pending[] = [{ value: variables, path: "" }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return `The variable ${path} ${problem}.`;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]` });
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const keyProblem = textProblem(key);
        if (keyProblem) return `A field name in the variable ${path} ${keyProblem}.`;
        stack.push({ value: child, path: path === "" ? `$${key}` : `${path}.${key}` });
      }
    }
  }
  return undefined;
}

function findInDocument(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    [Kind.STRING]: (node) => {
      const problem = textProblem(node.value);
      if (problem && !found) found = `A string in the query ${problem}.`;
    },
  });
  return found;
}

/**
 * One check of every text input, for every operation before it runs: a NUL or a lone surrogate is
 * the caller's mistake (VALIDATION), never a store's error surfacing as INTERNAL.
 */
export function checkTextInput(document: DocumentNode, variables: unknown): GraphQLError | undefined {
  const message = findInDocument(document) ?? findInVariables(variables);
  if (message === undefined) return undefined;
  return new GraphQLError(`${message} Send text as valid Unicode without NUL characters.`, {
    extensions: { code: "BAD_USER_INPUT" },
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
