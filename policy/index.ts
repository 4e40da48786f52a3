/**
 * The pack's policies as `@pulumi/policy` objects: `import { policies } from
 * "azure-github-runner-network/policy"` to enforce them from a pack of your own. policy/pack.ts
 * serves them as the pack in this folder (`pulumi preview --policy-pack ./policy`).
 *
 * Values not known during a preview: the SDK hands policies a proxy that throws when an unknown
 * value is read, and turns that throw into an advisory "can't run policy during preview" note, so
 * a mandatory policy would pass by default. Here every value is read defensively first (unknowns
 * become UNKNOWN) and the checks report them as "cannot verify until known" at the policy's own
 * level instead.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isUnknownValueError } from "../components/pulumi-internals-wire";
import { POLICY_DEFINITIONS, runDefinition, type PolicyDefinition } from "./definitions";
import { UNKNOWN, type ResourceView } from "./model";

export { POLICY_DEFINITIONS, POLICY_NAMES, type PolicyDefinition } from "./definitions";
export { evaluatePolicies, policyConfigProblems, type PolicyPackConfig, type PolicyViolation } from "./evaluate";
export { CANNOT_VERIFY, UNKNOWN, type Finding, type ResourceView } from "./model";

/** Copies a value out of the SDK's proxy, replacing every value not known yet with UNKNOWN. */
export function materialize(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const source = value as Record<string, unknown>;
  const read = (key: string) => {
    try {
      return materialize(source[key]);
    } catch (error) {
      if (isUnknownValueError(error)) return UNKNOWN;
      throw error;
    }
  };
  // Array methods read every element through the proxy; indices are read one by one instead.
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, index) => read(String(index)));
  return Object.fromEntries(Object.keys(source).map((key) => [key, read(key)]));
}

/** A view of what the SDK passes for one resource; links are URNs (the SDK links resource objects). */
function viewOf(
  resource: { urn: string; type: string; name: string; props: unknown },
  links: Pick<ResourceView, "parent" | "dependencies" | "propertyDependencies">,
): ResourceView {
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    props: materialize(resource.props) as Record<string, unknown>,
    ...links,
  };
}

function stackResourceView(resource: PolicyResource): ResourceView {
  const urns = (list: readonly PolicyResource[]) => list.map((dependency) => dependency.urn);
  return viewOf(resource, {
    parent: resource.parent?.urn,
    dependencies: urns(resource.dependencies),
    propertyDependencies: Object.fromEntries(Object.entries(resource.propertyDependencies).map(([key, list]) => [key, urns(list)])),
  });
}

function toPolicy(definition: PolicyDefinition): ResourceValidationPolicy | StackValidationPolicy {
  const { name, description, enforcementLevel, remediationSteps, configSchema } = definition;
  const base = { name, description, enforcementLevel, remediationSteps, configSchema };
  if (definition.scope === "resource") {
    return {
      ...base,
      validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        // Per-resource analysis carries no dependencies; only the stack policies follow references.
        const view = viewOf(args, { parent: args.opts.parent, dependencies: [], propertyDependencies: {} });
        for (const finding of runDefinition(definition, [{ inputs: view, outputs: view }], args.getConfig<Record<string, unknown>>()))
          report(finding.message);
      },
    };
  }
  return {
    ...base,
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const views = args.resources.map(stackResourceView).map((view) => ({ inputs: view, outputs: view }));
      for (const finding of runDefinition(definition, views, args.getConfig<Record<string, unknown>>()))
        report(finding.message, finding.urn);
    },
  };
}

/** Every policy of the pack, ready for `new PolicyPack(name, { policies })`. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = POLICY_DEFINITIONS.map(toPolicy);
