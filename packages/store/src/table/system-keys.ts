/**
 * Table-wide markers, outside any workspace partition.
 *
 * Access patterns:
 * - first start: conditional Put `SYSTEM` / `BOOTSTRAP` (claimFirstStart: local bootstrap)
 * - stored secrets sealed: Get / Put `META` / `SECRETS_SEALED#v1` (local seal-stored-secrets)
 */
export const bootstrapKey = { pk: 'SYSTEM', sk: 'BOOTSTRAP' };
export const secretsSealedKey = { pk: 'META', sk: 'SECRETS_SEALED#v1' };
