/** Token for `POST /v1/workspaces`; set it with `npx sst secret set AdminToken <value> --stage <stage>`. */
export const adminToken = new sst.Secret('AdminToken');
