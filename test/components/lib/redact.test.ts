/** The one redaction function: given secrets, secret shapes, and what it leaves alone. */
import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "../../../components/lib/redact";

const JWT = [
  Buffer.from('{"typ":"JWT","alg":"RS256"}').toString("base64url"),
  Buffer.from('{"oid":"x","tid":"y"}').toString("base64url"),
  "c2lnbmF0dXJl",
].join(".");

describe("redactSecrets", () => {
  it.each([
    [
      "a given secret of any shape, each time it occurs",
      "got plain-secret-1 and plain-secret-1",
      ["plain-secret-1"],
      `got ${REDACTED} and ${REDACTED}`,
    ],
    ["a given secret URL-encoded", "url ?t=a%2Fb%3Dc", ["a/b=c"], `url ?t=${REDACTED}`],
    ["the longer of two given secrets that overlap, whole", "key abcdef-123456", ["abcdef", "abcdef-123456"], `key ${REDACTED}`],
    ["URL user-info", "GET https://user:pa55@api.example.test/meta failed", [], `GET https://${REDACTED}@api.example.test/meta failed`],
    ["a user name alone in a URL", "see http://someone@127.0.0.1:8080/x", [], `see http://${REDACTED}@127.0.0.1:8080/x`],
    ["a Bearer credential", "Authorization: Bearer abc.DEF_ghi-123~+/=", [], `Authorization: Bearer ${REDACTED}`],
    ["a bearer credential in lower case", "header was bearer s3cr3t-value", [], `header was bearer ${REDACTED}`],
    ["a Basic credential", "Authorization: Basic dXNlcjpwYXNzd29yZA==", [], `Authorization: Basic ${REDACTED}`],
    ["a classic GitHub token", "token ghp_0123456789abcdefABCDEF0123456789abcd was refused", [], `token ${REDACTED} was refused`],
    ["other GitHub token kinds", "gho_abc123 ghu_abc123 ghs_abc123 ghr_abc123", [], `${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED}`],
    ["a fine-grained GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", [], REDACTED],
    ["a JWT", `token ${JWT}!`, [], `token ${REDACTED}!`],
    ["the first part of a JWT cut off elsewhere", `starts ${JWT.slice(0, 20)}`, [], `starts ${REDACTED}`],
  ])("replaces %s", (_name, text, secrets, expected) => {
    expect(redactSecrets(text, secrets)).toBe(expected);
  });

  it.each([
    ["an email address", "signed in as user alice@contoso.example"],
    ["a URL without user-info", "https://api.github.com/meta?x=1 and http://127.0.0.1:8080/"],
    ["ordinary words", "the token is not allowed; Basic auth; a bearer of news"],
    ["resource ids", "/subscriptions/4b1d7c1e-0c5a/resourceGroups/rg/providers/GitHub.Network/networkSettings/ghp"],
  ])("keeps %s", (_name, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it("ignores secrets too short to look for, and missing ones", () => {
    expect(redactSecrets("abc def", ["abc", "", undefined])).toBe("abc def");
  });
});
