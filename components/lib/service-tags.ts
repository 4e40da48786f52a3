/**
 * Azure's service tag names, so a misspelt tag in an NSG rule is refused before deploy (Azure
 * refuses it only when the NSG is written, after the VNET and other resources exist).
 *
 * Source: learn.microsoft.com, "Virtual network service tags", table "Available service tags"
 * (the tag, and whether it "can be regional"), and its list of AzureCloud regional names that do
 * not follow the normal schema. A regional form is `<tag>.<region>`, e.g. `Storage.WestUS`.
 * Region names: AZURE_REGIONS in regions.ts.
 * Azure matches tag names without regard to case, and so does this check.
 */
import { quoted } from "./problems";
import { AZURE_REGIONS } from "./regions";

/** Base service tags; `true` where the table says the tag can be regional. */
export const SERVICE_TAGS: Readonly<Record<string, boolean>> = {
  ActionGroup: false,
  ApiManagement: true,
  ApplicationInsightsAvailability: false,
  AppConfiguration: false,
  AppService: true,
  AppServiceManagement: false,
  AutonomousDevelopmentPlatform: true,
  AzureActiveDirectory: false,
  AzureActiveDirectoryDomainServices: false,
  AzureAdvancedThreatProtection: false,
  AzureArcInfrastructure: false,
  AzureAttestation: false,
  AzureBackup: false,
  AzureBotService: false,
  AzureCloud: true,
  AzureCognitiveSearch: false,
  AzureConnectors: true,
  AzureContainerAppsService: true,
  AzureContainerRegistry: true,
  AzureCosmosDB: true,
  AzureDatabricks: false,
  AzureDataExplorerManagement: false,
  AzureDataLake: false,
  AzureDeviceUpdate: false,
  AzureDevSpaces: false,
  AzureDevOps: true,
  AzureDigitalTwins: false,
  AzureEventGrid: false,
  // The table lists the three Front Door tags on one row; their names already hold a dot.
  "AzureFrontDoor.Frontend": false,
  "AzureFrontDoor.Backend": false,
  "AzureFrontDoor.FirstParty": false,
  AzureHealthcareAPIs: false,
  AzureInformationProtection: false,
  AzureIoTHub: true,
  AzureKeyVault: true,
  AzureLoadBalancer: false,
  AzureLoadTestingInstanceManagement: false,
  AzureMachineLearning: false,
  AzureMachineLearningInference: false,
  AzureManagedGrafana: false,
  AzureMonitor: false,
  AzureOpenDatasets: false,
  AzurePlatformDNS: false,
  AzurePlatformIMDS: false,
  AzurePlatformLKM: false,
  AzureResourceManager: false,
  AzureSentinel: false,
  AzureSignalR: false,
  AzureSiteRecovery: false,
  AzureSphere: false,
  AzureSpringCloud: false,
  AzureStack: false,
  AzureTrafficManager: false,
  AzureUpdateDelivery: false,
  AzureWebPubSub: true,
  BatchNodeManagement: true,
  ChaosStudio: false,
  CognitiveServicesFrontend: false,
  CognitiveServicesManagement: false,
  DataFactory: true,
  DataFactoryManagement: false,
  Dynamics365ForMarketingEmail: true,
  Dynamics365BusinessCentral: false,
  EOPExternalPublishedIPs: false,
  EventHub: true,
  GatewayManager: false,
  GuestAndHybridManagement: false,
  HDInsight: true,
  Internet: false,
  KustoAnalytics: false,
  LogicApps: false,
  LogicAppsManagement: false,
  Marketplace: false,
  M365ManagementActivityApi: true,
  M365ManagementActivityApiWebhook: true,
  MicrosoftAzureFluidRelay: false,
  MicrosoftCloudAppSecurity: false,
  MicrosoftContainerRegistry: true,
  MicrosoftDefenderForEndpoint: false,
  MicrosoftPurviewPolicyDistribution: false,
  PowerBI: false,
  PowerPlatformInfra: true,
  PowerPlatformPlex: true,
  PowerQueryOnline: false,
  ServiceBus: true,
  ServiceFabric: false,
  Sql: true,
  SqlManagement: false,
  Storage: true,
  StorageSyncService: false,
  WindowsAdminCenter: false,
  WindowsVirtualDesktop: false,
  VirtualNetwork: false,
};

/** AzureCloud's regional names that do not follow `<tag>.<region>` with the region's own name. */
const AZURE_CLOUD_IRREGULAR = [
  "centralfrance",
  "southfrance",
  "germanywc",
  "germanyn",
  "norwaye",
  "norwayw",
  "switzerlandn",
  "switzerlandw",
  "usstagee",
  "usstagec",
];

const BASE_BY_LOWER = new Map(Object.keys(SERVICE_TAGS).map((name) => [name.toLowerCase(), name]));
const REGIONS = new Set(AZURE_REGIONS);

/** Why `entry` (something that is neither an address nor `*`) is not a service tag Azure knows; undefined when it is one. */
export function serviceTagProblem(entry: string): string | undefined {
  const lower = entry.toLowerCase();
  if (BASE_BY_LOWER.has(lower)) return undefined;
  const dot = lower.lastIndexOf(".");
  const base = dot < 0 ? undefined : BASE_BY_LOWER.get(lower.slice(0, dot));
  if (base !== undefined) {
    const region = lower.slice(dot + 1);
    if (!SERVICE_TAGS[base]) return `${quoted(entry)}: service tag ${base} has no regional forms; use ${base} alone`;
    if (REGIONS.has(region) || (base === "AzureCloud" && AZURE_CLOUD_IRREGULAR.includes(region))) return undefined;
    const regionHint = closest(region, AZURE_REGIONS);
    return `${quoted(entry)}: ${quoted(region)} is not an Azure region${regionHint ? `; did you mean ${base}.${regionHint}?` : ""}`;
  }
  return `${quoted(entry)} is not one of Azure's service tags${suggestion(entry) ? `; did you mean ${suggestion(entry)}?` : ""}`;
}

/** The tag `entry` most likely means: a whole name near it, or a regional form with its base corrected. */
function suggestion(entry: string): string | undefined {
  const names = [...BASE_BY_LOWER.keys()];
  const whole = closest(entry.toLowerCase(), names);
  if (whole) return BASE_BY_LOWER.get(whole);
  const dot = entry.lastIndexOf(".");
  const base = dot < 0 ? undefined : closest(entry.slice(0, dot).toLowerCase(), names);
  return base && SERVICE_TAGS[BASE_BY_LOWER.get(base)!] ? `${BASE_BY_LOWER.get(base)}${entry.slice(dot)}` : undefined;
}

/** The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  // Past this length a value is no typo of a name, and comparing it costs more than it tells.
  if (word.length > 64) return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    // A shortened name ("norwaye") is as likely a slip as a typo.
    const distance = word.length >= 4 && lower.startsWith(word) ? 1 : editDistance(word, lower);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 4)) ? best.candidate : undefined;
}

/** Levenshtein distance; kept here (a dozen lines) rather than a dependency for one suggestion. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
