/**
 * How the resources of a stack refer to each other: a subnet to its NSG, NAT gateway, route table
 * and VNET; a networkSettings resource to its subnet; separate SecurityRule and Route resources to
 * their NSG and route table. References are followed three ways, so they work during a first
 * preview (IDs unknown), after deployment, and offline:
 *   1. the engine's property dependencies (the resource a property's value came from);
 *   2. the ARM ID, compared with each candidate's `id`;
 *   3. the name and resource group taken from the ARM ID, compared with each candidate's.
 * A reference none of these settle is reported as not known yet or as outside the stack, never
 * guessed.
 */
import { SUBNET_DELEGATION_SERVICE } from "../components/lib/resource-types";
import { field, isOfType, isUnknown, list, sameText, text, UNKNOWN, type AzureTypeName, type ResourceView, type Unknown } from "./model";

/** A subnet as declared: a Subnet resource, or an entry of a VirtualNetwork's inline `subnets`. */
export interface SubnetDeclaration {
  owner: ResourceView;
  /** The subnet's properties; UNKNOWN when the inline list is not known yet. */
  props: unknown;
  /** Names the subnet in messages. */
  label: string;
  /** The owner property whose dependencies cover this subnet's references. */
  dependencyKey: (property: string) => string;
  /** Name of an inline entry, for IDs that point into its VNET. */
  inlineName?: string;
}

export function subnetDeclarations(resource: ResourceView): SubnetDeclaration[] {
  if (isOfType(resource, "subnet")) {
    return [{ owner: resource, props: resource.props, label: `subnet ${resource.name}`, dependencyKey: (property) => property }];
  }
  if (!isOfType(resource, "virtualNetwork")) return [];
  const inline = list(resource.props.subnets);
  const of = `virtual network ${resource.name}`;
  if (inline === undefined) return [];
  if (isUnknown(inline)) return [{ owner: resource, props: UNKNOWN, label: `the inline subnets of ${of}`, dependencyKey: () => "subnets" }];
  return inline.map((entry, index) => {
    const name = text(field(entry, "name"));
    const known = typeof name === "string" ? name : undefined;
    return {
      owner: resource,
      props: entry,
      label: `subnet ${known === undefined ? `#${index + 1}` : `"${known}"`} of ${of}`,
      dependencyKey: () => "subnets",
      inlineName: known,
    };
  });
}

export type Answer = "yes" | "no" | "unknown";

/** Services the subnet is delegated to, UNKNOWN for entries not known yet. */
export function delegationServices(subnet: unknown): (string | Unknown)[] | Unknown {
  const delegations = list(field(subnet, "delegations"));
  if (delegations === undefined) return [];
  if (isUnknown(delegations)) return UNKNOWN;
  return delegations.map((delegation) => {
    // azure-native flattens ARM's `properties`; the nested form is accepted too.
    const service = text(field(delegation, "serviceName") ?? field(field(delegation, "properties"), "serviceName"));
    return service ?? "";
  });
}

/** Whether GitHub can place runner NICs in the subnet. */
export function delegatedToRunners(subnet: unknown): Answer {
  const services = delegationServices(subnet);
  if (isUnknown(services)) return "unknown";
  if (services.some((service) => typeof service === "string" && sameText(service, SUBNET_DELEGATION_SERVICE))) return "yes";
  return services.some(isUnknown) ? "unknown" : "no";
}

/** A sub-resource reference as azure-native takes it (`{ id }`), or a bare ARM ID. */
export type Reference = { kind: "absent" } | { kind: "id"; id: string } | { kind: "unknownId" } | { kind: "unknown" };

export function readReference(value: unknown): Reference {
  if (isUnknown(value)) return { kind: "unknown" };
  const id = typeof value === "string" ? value : field(value, "id");
  if (isUnknown(id)) return { kind: "unknownId" };
  return typeof id === "string" && id.trim() !== "" ? { kind: "id", id } : { kind: "absent" };
}

/** The resource group and the `collection/name` pairs after the provider namespace of an ARM ID. */
export function parseArmId(id: string): { resourceGroup?: string; path: { collection: string; name: string }[] } {
  const parts = id.split("/").filter((part) => part !== "");
  const group = parts.findIndex((part) => sameText(part, "resourceGroups"));
  const providers = parts.findIndex((part) => sameText(part, "providers"));
  const path: { collection: string; name: string }[] = [];
  if (providers >= 0) {
    for (let i = providers + 2; i + 1 < parts.length; i += 2) path.push({ collection: parts[i], name: parts[i + 1] });
  }
  return { resourceGroup: group >= 0 ? parts[group + 1] : undefined, path };
}

export type Resolution =
  { kind: "found"; resource: ResourceView } | { kind: "absent" } | { kind: "external"; id: string } | { kind: "unknown" };
export type SubnetResolution = { kind: "found"; subnet: SubnetDeclaration } | Exclude<Resolution, { kind: "found" }>;

/** The input that names each type of resource (outputs carry the same value as `name`). */
const NAME_INPUTS: Partial<Record<AzureTypeName, string>> = {
  subnet: "subnetName",
  virtualNetwork: "virtualNetworkName",
  networkSecurityGroup: "networkSecurityGroupName",
  routeTable: "routeTableName",
  natGateway: "natGatewayName",
};

function nameOf(resource: ResourceView, type: AzureTypeName): string | Unknown | undefined {
  const input = NAME_INPUTS[type];
  return text(resource.props.name) ?? (input === undefined ? undefined : text(resource.props[input]));
}

/** False only when both resource groups are known and differ. */
function sameGroup(resource: ResourceView, group: string | Unknown | undefined): boolean {
  const own = text(resource.props.resourceGroupName);
  return typeof own !== "string" || typeof group !== "string" || sameText(own, group);
}

function only<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

export interface RouteView {
  origin: string;
  addressPrefix: string | Unknown | undefined;
  nextHopType: string | Unknown | undefined;
}

/** Items by a lower-cased key; an item with several keys (or one twice) is listed once under each. */
function indexBy<T>(items: readonly T[], keysOf: (item: T) => (string | Unknown | undefined)[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const keys = keysOf(item)
      .filter((k): k is string => typeof k === "string")
      .map((k) => k.toLowerCase());
    for (const key of new Set(keys)) {
      const listed = index.get(key);
      if (listed) listed.push(item);
      else index.set(key, [item]);
    }
  }
  return index;
}

/**
 * A stack's resources with the lookups the checks make, indexed: every check resolves references
 * for each runner subnet and NSG, so a scan of the whole stack per lookup would be quadratic in
 * the number of networks. Indexes are built on first use: by type, by ARM ID and by name per type,
 * subnets by their owner's ID and by name, resource groups by name.
 */
export class StackGraph {
  private readonly byUrn = new Map<string, ResourceView>();
  private readonly byType = new Map<AzureTypeName, ResourceView[]>();
  private readonly byId = new Map<AzureTypeName, Map<string, ResourceView[]>>();
  private readonly byName = new Map<AzureTypeName, Map<string, ResourceView[]>>();
  private subnetIndex?: { byOwnerId: Map<string, SubnetDeclaration[]>; byName: Map<string, SubnetDeclaration[]> };
  private resourceGroupsByName?: Map<string, ResourceView[]>;

  constructor(readonly resources: readonly ResourceView[]) {
    for (const resource of resources) this.byUrn.set(resource.urn, resource);
  }

  ofType(type: AzureTypeName): ResourceView[] {
    return [...this.typed(type)];
  }

  private typed(type: AzureTypeName): readonly ResourceView[] {
    let found = this.byType.get(type);
    if (!found) this.byType.set(type, (found = this.resources.filter((resource) => isOfType(resource, type))));
    return found;
  }

  private idIndex(type: AzureTypeName): Map<string, ResourceView[]> {
    let index = this.byId.get(type);
    if (!index) this.byId.set(type, (index = indexBy(this.typed(type), (resource) => [text(resource.props.id)])));
    return index;
  }

  private nameIndex(type: AzureTypeName): Map<string, ResourceView[]> {
    let index = this.byName.get(type);
    if (!index) this.byName.set(type, (index = indexBy(this.typed(type), (resource) => [nameOf(resource, type)])));
    return index;
  }

  /** Every subnet declaration (Subnet resources, then inline VNET entries), indexed by the owner's ID and by subnet name. */
  private subnets() {
    if (!this.subnetIndex) {
      const all = [...this.typed("subnet"), ...this.typed("virtualNetwork")].flatMap(subnetDeclarations);
      this.subnetIndex = {
        byOwnerId: indexBy(all, (subnet) => [text(subnet.owner.props.id)]),
        byName: indexBy(all, (subnet) => [subnet.inlineName ?? nameOf(subnet.owner, "subnet")]),
      };
    }
    return this.subnetIndex;
  }

  /** Every subnet of the stack that is (or may be) delegated to GitHub.Network. */
  runnerSubnets(): { subnet: SubnetDeclaration; delegated: Answer }[] {
    return this.resources
      .flatMap(subnetDeclarations)
      .map((subnet) => ({ subnet, delegated: delegatedToRunners(subnet.props) }))
      .filter((entry) => entry.delegated !== "no");
  }

  /** Resources of `type` that `owner`'s `property` took its value from. */
  private fromDependencies(owner: ResourceView, property: string, type: AzureTypeName): ResourceView[] {
    return (owner.propertyDependencies[property] ?? [])
      .map((urn) => this.byUrn.get(urn))
      .filter((resource): resource is ResourceView => resource !== undefined && isOfType(resource, type));
  }

  private byArmId(id: string, type: AzureTypeName): ResourceView | undefined {
    const exact = only(this.idIndex(type).get(id.toLowerCase()) ?? []);
    if (exact) return exact;
    const { resourceGroup, path } = parseArmId(id);
    const last = path[path.length - 1];
    if (!last) return undefined;
    return only((this.nameIndex(type).get(last.name.toLowerCase()) ?? []).filter((resource) => sameGroup(resource, resourceGroup)));
  }

  /** Follows a `{ id }` reference held by `owner` (under `dependencyKey`) to a resource of `type`. */
  resolve(owner: ResourceView, dependencyKey: string, reference: Reference, type: AzureTypeName): Resolution {
    if (reference.kind === "absent") return reference;
    const fromDependencies = only(this.fromDependencies(owner, dependencyKey, type));
    if (reference.kind === "id") {
      const found = this.byArmId(reference.id, type) ?? fromDependencies;
      return found ? { kind: "found", resource: found } : { kind: "external", id: reference.id };
    }
    return fromDependencies ? { kind: "found", resource: fromDependencies } : { kind: "unknown" };
  }

  /** The NSG, NAT gateway or route table a subnet declaration points at. */
  attached(subnet: SubnetDeclaration, property: "networkSecurityGroup" | "natGateway" | "routeTable"): Resolution {
    const type: AzureTypeName = property;
    return this.resolve(subnet.owner, subnet.dependencyKey(property), readReference(field(subnet.props, property)), type);
  }

  /** The subnet a subnet ID held by `owner` points at: a Subnet resource or an inline VNET entry. */
  resolveSubnet(owner: ResourceView, dependencyKey: string, reference: Reference): SubnetResolution {
    if (reference.kind === "absent") return reference;
    const declarations = (resources: ResourceView[]) => resources.flatMap(subnetDeclarations);
    if (reference.kind === "id") {
      const { resourceGroup, path } = parseArmId(reference.id);
      const vnetName = path.find((step) => sameText(step.collection, "virtualNetworks"))?.name;
      const subnetName = path.find((step) => sameText(step.collection, "subnets"))?.name;
      const subnets = this.subnets();
      // Only a declaration whose owner has this ID, or of this subnet name, can match.
      const candidates = new Set([
        ...(subnets.byOwnerId.get(reference.id.toLowerCase()) ?? []),
        ...(subnetName === undefined ? [] : (subnets.byName.get(subnetName.toLowerCase()) ?? [])),
      ]);
      const matches = [...candidates].filter((subnet) => {
        const owner = subnet.owner;
        if (typeof owner.props.id === "string" && sameText(owner.props.id, reference.id)) return true;
        if (subnetName === undefined || !sameGroup(owner, resourceGroup)) return false;
        if (subnet.inlineName !== undefined) {
          const vnet = nameOf(owner, "virtualNetwork");
          return sameText(subnet.inlineName, subnetName) && typeof vnet === "string" && vnetName !== undefined && sameText(vnet, vnetName);
        }
        const name = nameOf(owner, "subnet");
        const parentVnet = text(owner.props.virtualNetworkName);
        return (
          typeof name === "string" &&
          sameText(name, subnetName) &&
          (typeof parentVnet !== "string" || vnetName === undefined || sameText(parentVnet, vnetName))
        );
      });
      const match = only(matches) ?? only(declarations(this.fromDependencies(owner, dependencyKey, "subnet")));
      return match ? { kind: "found", subnet: match } : { kind: "external", id: reference.id };
    }
    const viaSubnet = only(declarations(this.fromDependencies(owner, dependencyKey, "subnet")));
    // A VNET with inline subnets: only its single runner subnet can be meant.
    const viaVnet = only(
      declarations(this.fromDependencies(owner, dependencyKey, "virtualNetwork")).filter(
        (subnet) => delegatedToRunners(subnet.props) === "yes",
      ),
    );
    const match = viaSubnet ?? viaVnet;
    return match ? { kind: "found", subnet: match } : { kind: "unknown" };
  }

  /** The VNET a subnet belongs to; `external` when the stack does not manage it. */
  virtualNetworkOf(subnet: SubnetDeclaration): Resolution {
    if (isOfType(subnet.owner, "virtualNetwork")) return { kind: "found", resource: subnet.owner };
    const fromDependencies = only(this.fromDependencies(subnet.owner, "virtualNetworkName", "virtualNetwork"));
    if (fromDependencies) return { kind: "found", resource: fromDependencies };
    const name = text(subnet.owner.props.virtualNetworkName);
    if (name === undefined) return { kind: "absent" };
    if (isUnknown(name)) return { kind: "unknown" };
    const group = text(subnet.owner.props.resourceGroupName);
    const match = only((this.nameIndex("virtualNetwork").get(name.toLowerCase()) ?? []).filter((vnet) => sameGroup(vnet, group)));
    return match ? { kind: "found", resource: match } : { kind: "external", id: name };
  }

  /**
   * A resource's region. A location taken from another resource (`location: group.location`) is
   * read from that resource; one left out is the resource group's, as Azure does.
   */
  location(resource: ResourceView, depth = 0): string | Unknown | undefined {
    const own = text(resource.props.location);
    if (typeof own === "string" || depth > 3) return own;
    const key = own === undefined ? "resourceGroupName" : "location";
    const source = only(
      (resource.propertyDependencies[key] ?? []).map((urn) => this.byUrn.get(urn)).filter((r): r is ResourceView => r !== undefined),
    );
    if (source) return this.location(source, depth + 1);
    if (own === undefined) {
      const group = text(resource.props.resourceGroupName);
      this.resourceGroupsByName ??= indexBy(
        this.resources.filter((r) => r.type === "azure-native:resources:ResourceGroup"),
        (r) => [text(r.props.resourceGroupName), text(r.props.name)],
      );
      const match = typeof group === "string" ? only(this.resourceGroupsByName.get(group.toLowerCase()) ?? []) : undefined;
      return match ? this.location(match, depth + 1) : undefined;
    }
    return UNKNOWN;
  }

  /**
   * Separate child resources (SecurityRule, Route) of `parent`, told apart by the parent name they
   * carry; `unattributed` holds children whose parent cannot be told yet.
   */
  children(
    parent: ResourceView,
    parentType: AzureTypeName,
    childType: AzureTypeName,
    parentNameInput: string,
  ): { children: ResourceView[]; unattributed: ResourceView[] } {
    const parentName = nameOf(parent, parentType);
    const children: ResourceView[] = [];
    const unattributed: ResourceView[] = [];
    for (const child of this.typed(childType)) {
      const dependencies = child.propertyDependencies[parentNameInput] ?? [];
      if (dependencies.includes(parent.urn)) {
        children.push(child);
        continue;
      }
      const name = text(child.props[parentNameInput]);
      if (name === undefined || dependencies.length > 0) continue;
      if (isUnknown(name) || isUnknown(parentName)) unattributed.push(child);
      else if (typeof parentName === "string" && sameText(name, parentName) && sameGroup(parent, text(child.props.resourceGroupName)))
        children.push(child);
    }
    return { children, unattributed };
  }

  /** Routes of a route table, inline and separate; UNKNOWN when some are not known yet. */
  routes(table: ResourceView): RouteView[] | Unknown {
    const inline = list(table.props.routes) ?? [];
    const { children, unattributed } = this.children(table, "routeTable", "route", "routeTableName");
    if (isUnknown(inline) || unattributed.length > 0) return UNKNOWN;
    const view = (origin: string, route: unknown): RouteView => ({
      origin,
      addressPrefix: text(field(route, "addressPrefix")),
      nextHopType: text(field(route, "nextHopType")),
    });
    return [...inline.map((route) => view(table.urn, route)), ...children.map((child) => view(child.urn, child.props))];
  }
}
