/** The one redaction function: given secrets, secret shapes, and what it leaves alone. */
import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { quoted } from "../../../components/lib/problems";
import { REDACTED, redactSecrets } from "../../../components/lib/redact";
import { generateAppKey } from "../../support/github-app-keys";

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

  const pkcs1 = generateAppKey().privateKey;
  const pkcs8 = createPrivateKey(generateAppKey().privateKey).export({ type: "pkcs8", format: "pem" }).toString();
  const body = (pem: string) => pem.split("\n").filter((line) => line && !line.startsWith("-----"));
  it.each([
    ["a PEM private key as GitHub gives it (PKCS#1)", `key ${pkcs1.trimEnd()} end`, `key ${REDACTED} end`],
    ["a PKCS#8 private key", `key ${pkcs8.trimEnd()} end`, `key ${REDACTED} end`],
    ["a private key with escaped line breaks (an environment variable)", `k=${pkcs1.trimEnd().replace(/\n/g, "\\n")};`, `k=${REDACTED};`],
    ["a private key inside JSON text", JSON.stringify({ privateKey: pkcs1 }), `{"privateKey":"${REDACTED}\\n"}`],
    ["a private key cut off after its first lines", `starts ${pkcs1.slice(0, 120)}`, `starts ${REDACTED}`],
    [
      "an installation token of the dotted form",
      "token ghs_1234_eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEyMzR9.c2ln. Next",
      `token ${REDACTED}. Next`,
    ],
  ])("replaces %s", (_name, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("replaces each line of a given multi-line secret quoted on its own", () => {
    const [, second] = body(pkcs1);
    expect(redactSecrets(`line ${second} leaked`, [pkcs1])).toBe(`line ${REDACTED} leaked`);
  });

  it("quoted() echoes a user's value with a pasted key or token redacted", () => {
    expect(quoted(pkcs1)).toBe(`"${REDACTED}\\n"`);
    expect(quoted("ghp_0123456789abcdefABCDEF0123456789abcd")).toBe(`"${REDACTED}"`);
  });

  it("ignores secrets too short to look for, and missing ones", () => {
    expect(redactSecrets("abc def", ["abc", "", undefined])).toBe("abc def");
  });
});
