import { Resource } from 'sst/resource';

/**
 * The functions' configuration, read from SST's linked `Resource`: apart
 * from deps.ts (the composition root), which reads it through here, only the
 * API handler reads it directly, for what it needs before its first request.
 */

/** Everything the functions read from their links, in one plain shape tests can hand to `build`. */
export interface FunctionConfig {
  tableName: string;
  scheduler: {
    groupName: string;
    roleArn: string;
    publishArn: string;
    watchdogArn: string;
    deliverArn: string;
    /** The listen target (issue 18); absent in stacks deployed before it, where no account can listen. */
    listenArn?: string;
    deadLetterArn?: string;
    /** The precise-timer queues (publish, watchdog): a timer of that kind lands to the second through SQS. */
    publishQueueUrl?: string;
    watchdogQueueUrl?: string;
  };
  /** The SES identity: an address (`alerts@example.com`) or a domain (`example.com`). */
  email: { sender: string; configSet?: string };
  adminToken: string;
  /** The base URL people reach drumbeat by (links in mail, feed URLs): the Router's URL or a custom domain. */
  publicUrl: string;
  /** Signs /app links and page sessions (the API only): the same in every container. */
  sessionSecret?: string;
  /** The header value the Router adds; the API refuses requests without it (the API only). */
  originSecret?: string;
  /** The KMS key channel and webhook secrets are sealed under (envelope encryption). */
  sealingKeyArn: string;
  /** The Imports function large CSV imports run in (the API only); absent, every import is synchronous. */
  importsFunction?: string;
}

/** The shape of the links `infra/` gives the functions (see infra/README.md). */
interface LinkedResources {
  Table: { name: string };
  Scheduler: FunctionConfig['scheduler'];
  Email: { sender: string; configSet?: string };
  AdminToken: { value: string };
  Web: { url: string };
  Sealing: { keyArn: string };
  SessionSecret?: { value: string };
  Origin?: { secret: string };
  Imports?: { name: string };
}

/** Reads the functions' configuration from SST's linked resources; throws naming what is not linked. */
export function configFromResource(resource: unknown = Resource): FunctionConfig {
  const r = resource as LinkedResources;
  const {
    groupName,
    roleArn,
    publishArn,
    watchdogArn,
    deliverArn,
    listenArn,
    deadLetterArn,
    publishQueueUrl,
    watchdogQueueUrl,
  } = r.Scheduler;
  return {
    tableName: r.Table.name,
    scheduler: {
      groupName,
      roleArn,
      publishArn,
      watchdogArn,
      deliverArn,
      ...(listenArn ? { listenArn } : {}),
      ...(deadLetterArn ? { deadLetterArn } : {}),
      ...(publishQueueUrl ? { publishQueueUrl } : {}),
      ...(watchdogQueueUrl ? { watchdogQueueUrl } : {}),
    },
    email: { sender: r.Email.sender, ...(r.Email.configSet ? { configSet: r.Email.configSet } : {}) },
    adminToken: r.AdminToken.value,
    publicUrl: r.Web.url.replace(/\/$/, ''),
    sealingKeyArn: r.Sealing.keyArn,
    // Linked to the API only: `in` asks SST's Resource without throwing for a function that lacks them.
    ...('SessionSecret' in r && r.SessionSecret ? { sessionSecret: r.SessionSecret.value } : {}),
    ...('Origin' in r && r.Origin ? { originSecret: r.Origin.secret } : {}),
    ...('Imports' in r && r.Imports ? { importsFunction: r.Imports.name } : {}),
  };
}

/**
 * The configuration of the MailEvents handler, which reads and writes the
 * table through its own narrow link (`MailEventsTable`: infra/mail-events.ts)
 * and arms timers, and neither sends mail nor opens a sealed secret: its role
 * allows neither, so the mail and KMS settings are left empty (a use would
 * fail loudly on AccessDenied).
 */
export function mailEventsConfigFromResource(resource: unknown = Resource): FunctionConfig {
  const r = resource as {
    MailEventsTable: { name: string };
    Scheduler: FunctionConfig['scheduler'];
    Web: { url: string };
  };
  return configFromResource({
    Table: r.MailEventsTable,
    Scheduler: r.Scheduler,
    Web: r.Web,
    Email: { sender: 'unused.invalid' },
    AdminToken: { value: '' },
    Sealing: { keyArn: '' },
  });
}
