import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';

/** The AWS SDK clients; tests pass clients pointed at local stand-ins. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  scheduler: SchedulerClient;
  /** SES, or a function making it on the first mail (the API rarely sends one: its client stays off the cold start). */
  ses: SESv2Client | (() => Promise<SESv2Client>);
  /** KMS, or a function making it on the first seal or open (an API request rarely handles a secret: its client stays off the cold start). */
  kms: KMSClient | (() => Promise<KMSClient>);
  /** SQS, or a function making it on the first precise timer queued (loaded then, off the cold start). */
  sqs: SQSClient | (() => Promise<SQSClient>);
  /** Lambda, made on the first import job (most containers never start one). */
  lambda?: LambdaClient | (() => Promise<LambdaClient>);
}

/** The SDK clients for the Lambda's own region and role (credentials and region come from the runtime). */
export function awsClients(): AwsClients {
  const ses = async () => new (await import('@aws-sdk/client-sesv2')).SESv2Client({});
  const kms = async () => new (await import('@aws-sdk/client-kms')).KMSClient({});
  const sqs = async () => new (await import('@aws-sdk/client-sqs')).SQSClient({});
  const lambda = async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({});
  return { dynamo: new DynamoDBClient({}), scheduler: new SchedulerClient({}), ses, kms, sqs, lambda };
}
