/**
 * The SDK-free part of components/pulumi-internals.ts: Pulumi internals recognised by value (a
 * wire-format signature, an error's class name), so it imports nothing and policy/ can use it
 * without loading @pulumi/pulumi. The rule is the one stated in components/pulumi-internals.ts:
 * only these two files may touch Pulumi's non-public internals, and
 * test/components/pulumi-internals.test.ts checks each one against the installed SDK.
 */

/**
 * How Pulumi's RPC layer marks a secret: `{ [key]: value, value: <the secret> }`. Copies of
 * `specialSigKey` / `specialSecretSig` from @pulumi/pulumi/runtime/rpc, needed to unwrap secrets in
 * recorded registrations without loading the SDK; checked against @pulumi/pulumi 3.270.0.
 */
export const SECRET_SIGNATURE = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" } as const;

/**
 * The error @pulumi/policy's proxy throws when a value not known during preview is read; its
 * class is not exported, so it is recognised by name; checked against @pulumi/pulumi 3.270.0
 * (@pulumi/policy 1.21.0).
 */
export function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}
