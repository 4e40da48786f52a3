/**
 * Values as the engine sends them (secrets wrapped, unknowns during previews) and as ARM wants
 * them, and back: azure-native's outputs are ARM's answer with Microsoft.Network's `properties`
 * bags lifted into the resource, plus the inputs kept under `__inputs` (secret, as azure-native
 * keeps them) so that later diffs compare inputs with inputs.
 */
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { FlattenedShape, Inputs, ResourceTypeSpec } from "./resource-types";

/** Where azure-native keeps a resource's inputs in its state. */
export const INPUTS_KEY = "__inputs";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The value with every secret unwrapped (ARM needs the plain values). */
export function reveal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reveal);
  if (!isRecord(value)) return value;
  if (value[specialSigKey] === specialSecretSig) return reveal(value.value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reveal(item)]));
}

export function secret(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

/** Whether a preview left part of the value unknown. */
export function holdsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(holdsUnknown);
  return isRecord(value) && Object.values(value).some(holdsUnknown);
}

/** SDK inputs to ARM's request body. */
export function armBody(spec: ResourceTypeSpec, inputs: Inputs): Inputs {
  const bodyInputs = Object.fromEntries(
    Object.entries(inputs).filter(([key, value]) => !spec.pathInputs.includes(key) && value !== undefined && value !== null),
  );
  if (spec.body.kind === "armShaped") {
    const fields = spec.body.fields;
    return Object.fromEntries(Object.entries(bodyInputs).filter(([key]) => fields.includes(key)));
  }
  return nestInProperties(bodyInputs, spec.body.shape);
}

function nestInProperties(value: Inputs, shape: FlattenedShape): Inputs {
  const body: Inputs = {};
  const properties: Inputs = {};
  for (const [key, item] of Object.entries(value)) {
    if (shape.topLevel.includes(key)) {
      body[key] = item;
      continue;
    }
    const itemShape = shape.subResources?.[key];
    properties[key] =
      itemShape && Array.isArray(item) ? item.map((element) => (isRecord(element) ? nestInProperties(element, itemShape) : element)) : item;
  }
  return Object.keys(properties).length ? { ...body, properties } : body;
}

/** ARM's answer as azure-native's outputs: without the id (the resource's ID is that), with the API version. */
export function outputsFrom(spec: ResourceTypeSpec, answer: Inputs, inputs: Inputs): Inputs {
  const { id: _id, ...rest } = answer;
  const outputs = spec.body.kind === "flattened" ? (liftProperties(rest) as Inputs) : rest;
  return { ...outputs, azureApiVersion: spec.apiVersion(inputs), [INPUTS_KEY]: secret(inputs) };
}

/** Microsoft.Network's SDK has every `properties` bag, at any depth, flattened into its owner. */
function liftProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(liftProperties);
  if (!isRecord(value)) return value;
  const { properties, ...rest } = value;
  const lifted = Object.fromEntries(Object.entries(rest).map(([key, item]) => [key, liftProperties(item)]));
  return isRecord(properties) ? { ...lifted, ...(liftProperties(properties) as Inputs) } : lifted;
}

/** The inputs a state was created from; azure-native's own state always has them. */
export function inputsOf(state: Inputs): Inputs {
  const kept = reveal(state[INPUTS_KEY]);
  return isRecord(kept) ? kept : {};
}
