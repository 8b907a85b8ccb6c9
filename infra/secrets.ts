/**
 * The stage's secrets. SST refuses to deploy while one is unset, so set both
 * before the first `sst deploy` (README, "On AWS"):
 *   npx sst secret set AdminToken <value> --stage <stage>
 *   npx sst secret set SessionSecret "$(openssl rand -base64 32)" --stage <stage>
 */

/** Token for `POST /v1/workspaces`. */
export const adminToken = new sst.Secret('AdminToken');

/** HMAC key of /app links and page sessions: one for every container, so a link made on one opens on any other. */
export const sessionSecret = new sst.Secret('SessionSecret');
