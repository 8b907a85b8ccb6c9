import { physicalName } from './stage';
import { timerQueues } from './timer-queues';

/**
 * EventBridge Scheduler: the schedule group every timer lives in, the role the
 * service assumes to invoke the four targets (publish, watchdog, webhook
 * delivery, listen), a dead-letter queue for invocations that exhaust their retries,
 * and the link that hands all of it to the functions (packages/aws
 * EventBridgeScheduler's options).
 *
 * The targets link to this too (publishing arms deliveries and deadlines), so
 * their ARNs are computed from deterministic names instead of read from the
 * function resources: that breaks the cycle function -> link -> function.
 */

const partition = aws.getPartitionOutput().partition;
const region = aws.getRegionOutput().region;
const accountId = aws.getCallerIdentityOutput().accountId;

/** Names of the scheduler targets, by timer kind; infra/workers.ts gives the functions exactly these names. */
export const targetNames = {
  publish: physicalName($app.name, $app.stage, 'publish'),
  watchdog: physicalName($app.name, $app.stage, 'watchdog'),
  deliver: physicalName($app.name, $app.stage, 'webhooks'),
  listen: physicalName($app.name, $app.stage, 'listen'),
};

const functionArn = (name: string) => $interpolate`arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
export const targetArns = {
  publish: functionArn(targetNames.publish),
  watchdog: functionArn(targetNames.watchdog),
  deliver: functionArn(targetNames.deliver),
  listen: functionArn(targetNames.listen),
};

export const scheduleGroup = new aws.scheduler.ScheduleGroup('ScheduleGroup', {
  name: physicalName($app.name, $app.stage, 'timers'),
});

/** Where EventBridge puts invocations it gave up on (after the retry policy). Kept 14 days. */
export const scheduleDeadLetters = new sst.aws.Queue('ScheduleDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
});

export const schedulerRole = new aws.iam.Role('SchedulerRole', {
  assumeRolePolicy: $jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        // Confused-deputy guard: only schedules of this account's group may assume it.
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          ArnEquals: { 'aws:SourceArn': scheduleGroup.arn },
        },
      },
    ],
  }),
});

new aws.iam.RolePolicy('SchedulerRoleInvoke', {
  role: schedulerRole.id,
  policy: $jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [targetArns.publish, targetArns.watchdog, targetArns.deliver, targetArns.listen],
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: scheduleDeadLetters.arn },
    ],
  }),
});

/** What the functions get as `Resource.Scheduler`, with the permissions to manage the group's schedules. */
export const schedulerLink = new sst.Linkable('Scheduler', {
  properties: {
    groupName: scheduleGroup.name,
    roleArn: schedulerRole.arn,
    publishArn: targetArns.publish,
    watchdogArn: targetArns.watchdog,
    deliverArn: targetArns.deliver,
    listenArn: targetArns.listen,
    deadLetterArn: scheduleDeadLetters.arn,
    // Precise timers: where a publish or watchdog timer is relayed to land to the second (infra/timer-queues.ts).
    publishQueueUrl: timerQueues.publish.queue.url,
    watchdogQueueUrl: timerQueues.watchdog.queue.url,
  },
  include: [
    // Every function that arms a timer may queue one due too soon for EventBridge; publish and watchdog relay theirs.
    sst.aws.permission({
      actions: ['sqs:SendMessage'],
      resources: [timerQueues.publish.queue.arn, timerQueues.watchdog.queue.arn],
    }),
    sst.aws.permission({
      actions: [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ],
      resources: [$interpolate`arn:${partition}:scheduler:${region}:${accountId}:schedule/${scheduleGroup.name}/*`],
    }),
    // Re-arming finds a timer's earlier schedules by name prefix (packages/aws EventBridgeScheduler).
    // ListSchedules has no resource-level permission: it can only be granted on `*`; it reads names, no payloads.
    sst.aws.permission({ actions: ['scheduler:ListSchedules'], resources: ['*'] }),
    sst.aws.permission({
      actions: ['iam:PassRole'],
      resources: [schedulerRole.arn],
      conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['scheduler.amazonaws.com'] }],
    }),
  ],
});
