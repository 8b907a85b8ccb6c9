/** The IAM actions the functions' code calls (no SST globals here: unit tests import it). */

/**
 * The DynamoDB actions of the store's commands on Lambda: Get, Put, Update,
 * Delete, Query and BatchGet (packages/store). BatchWriteItem is only used by
 * the embedded scheduler, CreateTable and DescribeTable only by `ensureTable`.
 * test/infra/settings.test.ts reads the sources and fails when this drifts.
 */
export const DYNAMO_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
] as const;

/**
 * What the MailEvents handler does to the table (functions/mail-events.ts):
 * it reads the address refs, accounts, voices and open alerts, and opens or
 * refreshes email_bounced alerts (and the webhook deliveries of their
 * announcement), on the table itself, never an index.
 * test/functions/mail-events.test.ts records its calls and checks this list.
 */
export const MAIL_EVENTS_DYNAMO_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

/** The mail senders' only SES action (SESv2 SendEmail authorizes as `ses:SendEmail`). */
export const SES_ACTIONS = ['ses:SendEmail'] as const;
