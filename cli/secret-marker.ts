/**
 * What a secret shows as offline: `secure:` config values (not decryptable without the stack's
 * key) and secret inputs and outputs of planned resources. The policy run takes it as unknown.
 * A leaf module, so the plan can use it before Pulumi's runtime is loaded.
 */
export const SECRET_MARKER = "[secret]";
