/**
 * GitHub App keys for tests, made when the tests run (none is committed): the private half as the
 * PEM text GitHub hands out (PKCS#1, "BEGIN RSA PRIVATE KEY"), the public half for the emulator.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";

export interface TestAppKey {
  /** PEM text, as in the file GitHub's app settings download. */
  privateKey: string;
  publicKey: KeyObject;
}

export function generateAppKey(): TestAppKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), publicKey };
}
