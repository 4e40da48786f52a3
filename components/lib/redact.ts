/**
 * Secrets out of messages. Every text that comes from an answer or a URL (an error body, a
 * GraphQL error, a network failure naming a URL, a config value echoed back) passes through
 * `redactSecrets` before it becomes part of an error, a check or a report, so a token handed to a
 * client, or reflected back to it by a server, is never printed.
 *
 * It knows the values it is given (a client passes its own token) and the shapes secrets take
 * anyway: URL user-info, `Bearer`/`Basic` credentials, GitHub's token prefixes (docs.github.com,
 * "About authentication to GitHub": ghp_, gho_, ghu_, ghs_, ghr_, github_pat_; installation tokens
 * may also take the form `ghs_<app id>_<JWT>`, "Generating an installation access token for a
 * GitHub App"), JWTs (Entra ID access tokens and GitHub App JWTs: base64url JSON, so they start
 * with `eyJ`) and PEM private keys (a GitHub App's key), whole or cut off, with real or escaped
 * line breaks.
 *
 * Pure and without imports: GitHub's dynamic provider carries it (see ../github/api.ts).
 */

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** Given secrets shorter than this are not searched for: they would match ordinary text. */
const SHORTEST_SECRET = 4;
/** Lines of a multi-line secret shorter than this are not searched for (a PEM's last line can be a few characters). */
const SHORTEST_LINE = 16;

const SECRET_SHAPES: readonly (readonly [RegExp, string])[] = [
  // A PEM private key from its BEGIN line to its END line, or to the end of its base64 when cut off.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|(?:[A-Za-z0-9+/=\s]|\\[nr])*)/g, REDACTED],
  // URL user-info, `scheme://user:password@host` (a URL's path and query end it).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`],
  // An Authorization header's credential (RFC 6750 b64token; RFC 7617 base64), long enough not to be a word.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi, `$1 ${REDACTED}`],
  [/\b(Basic)\s+[A-Za-z0-9+/]{8,}=*/g, `$1 ${REDACTED}`],
  // GitHub tokens, classic and fine-grained, and the dotted installation token form (a JWT inside).
  [/\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_-]+)*/g, REDACTED],
  // JWTs, whole or any leading part of one.
  [/\beyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g, REDACTED],
];

/**
 * `text` with every given secret (as written and URL-encoded) and every secret-shaped part
 * replaced by `[redacted]`. Apply it before shortening a text: a cut can split a secret so that
 * neither half is recognised any more.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  const values = secrets
    .flatMap((secret) => (secret && secret.length >= SHORTEST_SECRET ? [secret, encodeURIComponent(secret), ...linesOf(secret)] : []))
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const value of values) result = result.split(value).join(REDACTED);
  for (const [pattern, replacement] of SECRET_SHAPES) result = result.replace(pattern, replacement);
  return result;
}

/** A multi-line secret (a PEM key) is also looked for line by line: a message may quote one line of it. */
function linesOf(secret: string): string[] {
  if (!/\n|\\n/.test(secret)) return [];
  return secret
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= SHORTEST_LINE && !line.startsWith("-----"));
}
