import { emailList } from './settings';

/**
 * What must not go unseen: an SNS topic that mails the addresses in
 * `DRUMBEAT_ALERT_EMAILS` (each confirms the subscription once), and alarms
 * on every dead-letter queue holding a message and on every function's errors
 * and throttles. Each alarm is $0.10 a month.
 */
export const alerts = new aws.sns.Topic('Alerts');

emailList(process.env, 'DRUMBEAT_ALERT_EMAILS').forEach((address, i) => {
  new aws.sns.TopicSubscription(`AlertEmail${i}`, { topic: alerts.arn, protocol: 'email', endpoint: address });
});

const common = {
  period: 300,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'notBreaching',
  alarmActions: [alerts.arn],
  okActions: [alerts.arn],
};

/** Alarms while `queue` (a dead-letter queue) holds any visible message: something was given up on. */
export function deadLetterAlarm(id: string, queue: sst.aws.Queue): void {
  new aws.cloudwatch.MetricAlarm(`${id}Alarm`, {
    ...common,
    alarmDescription: `drumbeat ${$app.stage}: ${id} holds messages (failed timers or events); see infra/README.md, "What to watch"`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: queue.nodes.queue.name },
    statistic: 'Maximum',
  });
}

/** Alarms on any error and any throttle of `fn` within five minutes. */
export function functionAlarms(id: string, fn: sst.aws.Function): void {
  for (const metricName of ['Errors', 'Throttles']) {
    new aws.cloudwatch.MetricAlarm(`${id}${metricName}Alarm`, {
      ...common,
      alarmDescription: `drumbeat ${$app.stage}: ${id} ${metricName.toLowerCase()}`,
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: { FunctionName: fn.name },
      statistic: 'Sum',
    });
  }
}
