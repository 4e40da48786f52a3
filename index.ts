/**
 * Entry point when this repository is used as a Pulumi plugin (PulumiPlugin.yaml): Pulumi's
 * component analyzer and the nodejs plugin host start here when no build output exists, because
 * package.json `main` points at dist/. npm consumers use the built `exports` instead.
 */
export * from "./components";
