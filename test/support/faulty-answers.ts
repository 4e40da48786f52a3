/**
 * Answers a careless or broken server gives, for the emulators and the /meta server of the tests:
 * one that quotes the request's Authorization header back in its error messages, and one that
 * breaks off after the headers (stalls, or resets the connection in the middle of the body).
 */
import type { ServerResponse } from "node:http";

/** How an answer breaks off after its headers: it never sends the rest, or the connection is reset. */
export type Cut = "stall" | "reset";

/** Sends the status, the headers and `start` of the body, then stalls or resets the connection. */
export function cutAnswer(response: ServerResponse, status: number, headers: Record<string, string>, start: string, cut: Cut): void {
  response.writeHead(status, headers);
  response.write(start);
  // A moment later, so the client has read the headers and the first bytes.
  if (cut === "reset") setTimeout(() => response.socket?.destroy(), 10);
}

/** Half of `text`: the start of a body that breaks off. */
export const firstHalf = (text: string): string => text.slice(0, Math.ceil(text.length / 2));

/**
 * `answer` with the request's Authorization header quoted in each of its messages: the text
 * itself, `message` (GitHub), `error.message` (ARM) and each `errors[].message` (GraphQL).
 */
export function quoteAuthorization(answer: unknown, authorization: string | undefined): unknown {
  const quote = (message: unknown) =>
    `${typeof message === "string" ? message : ""} (request had Authorization: ${authorization ?? "none"})`;
  if (typeof answer === "string") return quote(answer);
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) return answer;
  const record = answer as { message?: unknown; error?: unknown; errors?: unknown };
  const withMessage = (value: unknown) =>
    typeof value === "object" && value !== null ? { ...value, message: quote((value as { message?: unknown }).message) } : value;
  return {
    ...record,
    ...("message" in record ? { message: quote(record.message) } : {}),
    ...("error" in record ? { error: withMessage(record.error) } : {}),
    ...(Array.isArray(record.errors) ? { errors: record.errors.map(withMessage) } : {}),
  };
}
