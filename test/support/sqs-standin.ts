/**
 * A local stand-in for the parts of Amazon SQS drumbeat uses, speaking SQS's
 * JSON wire protocol as the real `@aws-sdk/client-sqs` (v3) sends it: POST
 * `/`, `X-Amz-Target: AmazonSQS.<Operation>`, `application/x-amz-json-1.0`,
 * the `x-amzn-query-mode: true` header of AWS's query-compatible services,
 * and errors as SQS answers them (`__type` `com.amazonaws.sqs#…` plus the
 * `x-amzn-query-error: <code>;Sender` header the SDK reads). Operations:
 * SendMessage (with `DelaySeconds`, 0 to 900, and the body's MD5, which the
 * SDK checks), ReceiveMessage and DeleteMessage.
 *
 * `poll` plays Lambda's event source mapping: it hands the function the
 * messages visible at `now` as the SQS event Lambda builds, deletes what
 * succeeded, makes a failed record (partial batch response, or a throw)
 * invisible for the visibility timeout, and moves a message received
 * `maxReceiveCount` times to the dead-letter queue (the redrive policy).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, jsonBody, listenLoopback } from './standin-server.js';

export const SQS_ACCOUNT = '123456789012';

/** One request as received. */
export interface SqsRequest {
  operation: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A message in a queue. */
export interface StoredMessage {
  messageId: string;
  body: string;
  sentAt: number;
  delaySeconds: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

/** A queue: its messages, and where they go after `maxReceiveCount` receives. */
export interface StandinQueue {
  name: string;
  messages: StoredMessage[];
  visibilityTimeoutSeconds: number;
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

class SqsError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
  }
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** A running stand-in; queue URLs are `<endpoint>/<account>/<name>`. */
export class SqsStandin {
  readonly requests: SqsRequest[] = [];
  readonly queues = new Map<string, StandinQueue>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly now: () => Date,
  ) {}

  /** Starts a stand-in on a random loopback port; `now` is its clock (delays and visibility count on it). */
  static async start(opts: { now?: () => Date } = {}): Promise<SqsStandin> {
    let standin: SqsStandin | undefined;
    const { server, endpoint } = await listenLoopback((req, res) => standin!.handle(req, res));
    standin = new SqsStandin(server, endpoint, opts.now ?? (() => new Date()));
    return standin;
  }

  /** Creates a queue (optionally redriving to `deadLetterQueue` after `maxReceiveCount` receives) and returns its URL. */
  createQueue(
    name: string,
    opts: { visibilityTimeoutSeconds?: number; redrive?: { deadLetterQueue: string; maxReceiveCount: number } } = {},
  ): string {
    this.queues.set(name, {
      name,
      messages: [],
      visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds ?? 30,
      ...(opts.redrive ? { redrive: opts.redrive } : {}),
    });
    return this.url(name);
  }

  url(name: string): string {
    return `${this.endpoint}/${SQS_ACCOUNT}/${name}`;
  }

  arn(name: string): string {
    return `arn:aws:sqs:us-east-1:${SQS_ACCOUNT}:${name}`;
  }

  queue(name: string): StandinQueue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`no queue ${name}`);
    return q;
  }

  requestsOf(operation: string): SqsRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** The instant the next message of `name` becomes visible, if any. */
  nextVisibleAt(name: string): Date | undefined {
    const times = this.queue(name).messages.map((m) => m.visibleAt);
    return times.length ? new Date(Math.min(...times)) : undefined;
  }

  /**
   * One poll of Lambda's event source mapping at the stand-in's `now`: up to
   * `batchSize` visible messages, handed to `invoke` as Lambda's SQS event.
   * Returns the records handed (none: no invocation).
   */
  async poll(
    name: string,
    invoke: (event: unknown) => Promise<unknown>,
    batchSize = 10,
  ): Promise<{ messageId: string; body: string }[]> {
    this.redrive(name);
    const q = this.queue(name);
    const now = this.now().getTime();
    const batch = q.messages
      .filter((m) => m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt)
      .slice(0, batchSize);
    if (batch.length === 0) return [];
    for (const m of batch) this.receive(q, m, now);
    const event = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'AROAEXAMPLE:drumbeat',
          ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
        },
        messageAttributes: {},
        md5OfBody: md5(m.body),
        eventSource: 'aws:sqs',
        eventSourceARN: this.arn(name),
        awsRegion: 'us-east-1',
      })),
    };
    let failed: Set<string>;
    try {
      const out = (await invoke(event)) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    // Successes are deleted; failures stay invisible for the visibility timeout, then come back (or are redriven).
    q.messages = q.messages.filter((m) => !batch.includes(m) || failed.has(m.messageId));
    return batch.map((m) => ({ messageId: m.messageId, body: m.body }));
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** Receives `m` at `now`: counts it, hides it, or moves it to the dead-letter queue once received too often. */
  private receive(q: StandinQueue, m: StoredMessage, now: number): void {
    m.receiveCount++;
    m.firstReceivedAt ??= now;
    m.receiptHandle = randomUUID();
    m.visibleAt = now + q.visibilityTimeoutSeconds * 1000;
  }

  /** Moves messages received `maxReceiveCount` times and visible again to the dead-letter queue (SQS does it when they would be received once more). */
  redrive(name: string): number {
    const q = this.queue(name);
    if (!q.redrive) return 0;
    const now = this.now().getTime();
    const dead = q.messages.filter((m) => m.receiveCount >= q.redrive!.maxReceiveCount && m.visibleAt <= now);
    const dlq = this.queue(q.redrive.deadLetterQueue);
    for (const m of dead) dlq.messages.push({ ...m, visibleAt: now, receiveCount: 0 });
    q.messages = q.messages.filter((m) => !dead.includes(m));
    return dead.length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    const body = await jsonBody(req);
    this.requests.push({ operation, headers: req.headers, body });
    try {
      if (req.method !== 'POST' || req.url !== '/' || req.headers['content-type'] !== 'application/x-amz-json-1.0') {
        throw new SqsError(
          'com.amazonaws.sqs#InvalidAddress',
          'InvalidAddress',
          'expected POST / application/x-amz-json-1.0',
        );
      }
      const out = this.dispatch(operation, body);
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() })
        .end(JSON.stringify(out));
    } catch (err) {
      const e =
        err instanceof SqsError ? err : new SqsError('com.amazonaws.sqs#InternalError', 'InternalError', String(err));
      res
        .writeHead(e.queryCode === 'InternalError' ? 500 : 400, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': randomUUID(),
          'x-amzn-query-error': `${e.queryCode};${e.queryCode === 'InternalError' ? 'Receiver' : 'Sender'}`,
        })
        .end(JSON.stringify({ __type: e.type, message: e.message }));
    }
  }

  private queueOf(url: unknown): StandinQueue {
    const name = typeof url === 'string' ? (url.split('/').pop() ?? '') : '';
    const q = this.queues.get(name);
    if (!q || url !== this.url(name))
      throw new SqsError(
        'com.amazonaws.sqs#QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        'The specified queue does not exist.',
      );
    return q;
  }

  private dispatch(operation: string, b: Record<string, unknown>): unknown {
    switch (operation) {
      case 'SendMessage': {
        const q = this.queueOf(b.QueueUrl);
        const text = b.MessageBody;
        if (typeof text !== 'string' || text.length === 0)
          throw new SqsError(
            'com.amazonaws.sqs#InvalidParameterValue',
            'InvalidParameterValue',
            'The request must contain the parameter MessageBody.',
          );
        const delay = b.DelaySeconds === undefined ? 0 : Number(b.DelaySeconds);
        if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
          throw new SqsError(
            'com.amazonaws.sqs#InvalidParameterValue',
            'InvalidParameterValue',
            `Value ${String(b.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
          );
        }
        const now = this.now().getTime();
        const message: StoredMessage = {
          messageId: randomUUID(),
          body: text,
          sentAt: now,
          delaySeconds: delay,
          visibleAt: now + delay * 1000,
          receiveCount: 0,
        };
        q.messages.push(message);
        return { MessageId: message.messageId, MD5OfMessageBody: md5(text) };
      }
      case 'ReceiveMessage': {
        this.redrive(this.queueOf(b.QueueUrl).name);
        const q = this.queueOf(b.QueueUrl);
        const now = this.now().getTime();
        const max = Number(b.MaxNumberOfMessages ?? 1);
        const batch = q.messages.filter((m) => m.visibleAt <= now).slice(0, max);
        for (const m of batch) this.receive(q, m, now);
        return {
          Messages: batch.map((m) => ({
            MessageId: m.messageId,
            ReceiptHandle: m.receiptHandle,
            Body: m.body,
            MD5OfBody: md5(m.body),
          })),
        };
      }
      case 'DeleteMessage': {
        const q = this.queueOf(b.QueueUrl);
        q.messages = q.messages.filter((m) => m.receiptHandle !== b.ReceiptHandle);
        return {};
      }
      default:
        throw new SqsError(
          'com.amazonaws.sqs#UnsupportedOperation',
          'AWS.SimpleQueueService.UnsupportedOperation',
          `unknown operation ${operation}`,
        );
    }
  }
}
