import { ApiError } from "./graphql";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export type Download = {
  /** The API path with its query, e.g. `/billing/usage.csv?from=…`. */
  readonly path: string;
  /** Sent as `Authorization: Bearer …` (never in a URL). */
  readonly token: string;
  /** The saved file's name when the answer carries no Content-Disposition filename. */
  readonly fallbackName: string;
  /** Called before the error is thrown when the API answers UNAUTHENTICATED (the session has expired). */
  readonly onUnauthenticated?: () => void;
};

/**
 * Fetches a file from the API with the token in a header and hands the bytes to the browser's
 * download under the name the API gives. The API's JSON error becomes an ApiError with its code,
 * message and request id.
 */
export async function downloadFile(input: Download): Promise<void> {
  let response: Response;
  try {
    response = await fetch(input.path, {
      headers: { authorization: `Bearer ${input.token}`, accept: "text/csv" },
    });
  } catch {
    throw new ApiError("NETWORK", "The service could not be reached. Check your connection and try again.", undefined);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const error = new ApiError(
      text(body.code) ?? "INTERNAL",
      text(body.message) ?? `The export answered ${response.status}.`,
      text(body.requestId) ?? response.headers.get("x-request-id") ?? undefined,
    );
    if (error.code === "UNAUTHENTICATED") input.onUnauthenticated?.();
    throw error;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? input.fallbackName;
  saveBlob(await response.blob(), name);
}

/** Saves the bytes through a temporary blob link. */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the file to the browser's download; the object URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
