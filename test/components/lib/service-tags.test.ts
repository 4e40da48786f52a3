import { describe, expect, it } from "vitest";
import { AZURE_SERVICE_TAGS } from "../../../components/lib/catalog";
import { SERVICE_TAGS, serviceTagProblem } from "../../../components/lib/service-tags";
import { AZURE_REGIONS, SUPPORTED_REGIONS } from "../../../components/lib/regions";
import { validateComponentArgs } from "../../../components/lib/network-design";

describe("service tag names, as Azure publishes them", () => {
  it.each([
    ["Storage", undefined],
    ["storage", undefined],
    ["Storage.WestUS", undefined],
    ["Storage.westeurope", undefined],
    ["AzureCloud.germanywc", undefined],
    ["AzureFrontDoor.FirstParty", undefined],
    ["MicrosoftContainerRegistry.EastUS2", undefined],
    ["Storag", '"Storag" is not one of Azure\'s service tags; did you mean Storage?'],
    ["AzureActiveDirectry", '"AzureActiveDirectry" is not one of Azure\'s service tags; did you mean AzureActiveDirectory?'],
    ["GitHubActions", '"GitHubActions" is not one of Azure\'s service tags'],
    ["Storage.WestUSS", '"Storage.WestUSS": "westuss" is not an Azure region; did you mean Storage.westus?'],
    ["Storage.Mars", '"Storage.Mars": "mars" is not an Azure region'],
    [
      "AzureActiveDirectory.EastUS",
      '"AzureActiveDirectory.EastUS": service tag AzureActiveDirectory has no regional forms; use AzureActiveDirectory alone',
    ],
    ["AzureCloud.norwaye", undefined],
    ["Storage.norwaye", '"Storage.norwaye": "norwaye" is not an Azure region; did you mean Storage.norwayeast?'],
  ])("%s", (entry, problem) => {
    expect(serviceTagProblem(entry)).toBe(problem);
  });

  it("knows every tag this package's own rules use", () => {
    expect(Object.keys(AZURE_SERVICE_TAGS).filter((tag) => serviceTagProblem(tag) !== undefined)).toEqual([]);
  });

  it("knows every region GitHub supports, so regional tags there are accepted", () => {
    expect(SUPPORTED_REGIONS.x64.filter((region) => !AZURE_REGIONS.includes(region))).toEqual([]);
  });

  it("has one entry per tag, whatever the case", () => {
    const lower = Object.keys(SERVICE_TAGS).map((tag) => tag.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
  });

  it("refuses a misspelt tag in an extra rule with its key path, before anything is planned", () => {
    const result = validateComponentArgs({
      location: "eastus",
      businessId: "42",
      maxConcurrentRunners: 10,
      extraSecurityRules: [{ name: "storage", direction: "Outbound", access: "Allow", destinationAddressPrefixes: ["Storag.EastUS"] }],
    });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: "extraSecurityRules[0].destinationAddressPrefixes[0]",
        message: '"Storag.EastUS" is not one of Azure\'s service tags; did you mean Storage.EastUS?',
      },
    ]);
  });
});
