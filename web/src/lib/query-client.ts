import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./graphql";

/** Only a lost connection is worth a retry; the API's typed answers would answer the same again. */
const shouldRetry = (failures: number, error: unknown) => error instanceof ApiError && error.code === "NETWORK" && failures < 2;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
