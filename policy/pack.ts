/**
 * Entry point of the policy pack in this folder. Pulumi runs it with the nodejs runtime
 * (`pulumi preview --policy-pack ./policy`): `new PolicyPack` starts the gRPC analyzer server the
 * engine talks to, so only the pack imports this file; everything else imports ./index.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./index";

new PolicyPack("azure-github-runner-network", {
  description: "Checks that GitHub-hosted runner subnets on Azure are private: NSG, delegation, egress, networkSettings and sizing.",
  provider: "azure",
  tags: ["github-actions", "azure", "networking"],
  policies,
});
