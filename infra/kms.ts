import { KMS_PURPOSES } from '../packages/aws/src/kms-purposes.js';

/**
 * The KMS key channel secrets are envelope-encrypted under
 * (packages/aws KmsSealer): each container asks KMS for one data key, seals
 * with AES-256-GCM locally, and stores the encrypted data key beside each
 * value. The key never leaves KMS; one customer-managed key costs about
 * $1 a month plus $0.03 per 10,000 requests (one per cold start).
 */
export const sealingKey = new aws.kms.Key('SealingKey', {
  description: `drumbeat ${$app.stage}: envelope key for channel and webhook secrets`,
  enableKeyRotation: true,
  deletionWindowInDays: 30,
});

/** `Resource.Sealing.keyArn`; the permissions go per function (who seals, who opens), not with the link. */
export const sealingLink = new sst.Linkable('Sealing', { properties: { keyArn: sealingKey.arn } });

/** Sealing new secrets (the API, where they are entered): a data key, never a decrypt. */
export const sealPermission = { actions: ['kms:GenerateDataKey'], resources: [sealingKey.arn] };

/** Opening sealed secrets (publish, webhooks): decrypting a stored data key. */
export const openPermission = { actions: ['kms:Decrypt'], resources: [sealingKey.arn] };

/**
 * The action-link secrets (packages/aws KMS_PURPOSES.linkSecrets): whoever
 * signs or verifies /a/ links (the API, publish's manual reminders, the
 * watchdog's alert and digest emails) makes and opens data keys of that
 * purpose only. The condition is what keeps the public-facing API from
 * opening a channel token with the same key.
 */
export const linkSecretsPermission = {
  actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
  resources: [sealingKey.arn],
  conditions: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:purpose', values: [KMS_PURPOSES.linkSecrets] }],
};
