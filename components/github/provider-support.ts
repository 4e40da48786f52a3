/** What the operations of each GitHub resource share: how they reach GitHub and their shape. */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createGitHubClient, type GitHubClient } from "./client";

/** Makes a client from a resource's own (secret) token and API URL. */
export type Connect = (props: { token: string; apiUrl: string }) => GitHubClient;

export const connectToGitHub: Connect = (props) => createGitHubClient({ token: props.token, apiUrl: props.apiUrl });

/** A dynamic provider's operations, every one present. */
export type ResourceOperations = Required<Omit<dynamic.ResourceProvider, "configure">>;
