/**
 * A local stand-in for the EventBridge Scheduler REST JSON API, enough for the
 * real `@aws-sdk/client-scheduler` to talk to it: CreateSchedule (POST),
 * UpdateSchedule (PUT), DeleteSchedule (DELETE) and GetSchedule (GET) on
 * `/schedules/{Name}`, the group in the body (create, update) or the
 * `groupName` query (get, delete), and ListSchedules (GET `/schedules`,
 * `ScheduleGroup`, `NamePrefix`, paged). `fireDue` fires schedules as the
 * service does, deleting each by name after its invocation. It keeps schedules in a map, records every
 * request, and answers errors the way the SDK parses them: the status code,
 * an `x-amzn-errortype` header and a `{Message}` body.
 *
 * Like the service it refuses (ValidationException) malformed names and
 * `at()` expressions and, when given a clock, an `at()` that is not in the
 * future; it knows only the UTC time zone, which is all drumbeat sends.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError, bodyText, closeServer, listenLoopback, restJsonError } from './standin-server.js';

/** One request as the stand-in received it. */
export interface RecordedRequest {
  operation: 'CreateSchedule' | 'UpdateSchedule' | 'DeleteSchedule' | 'GetSchedule' | 'ListSchedules' | 'Unknown';
  method: string;
  path: string;
  name: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | undefined;
}

/** A schedule as stored: the request's fields plus what the service adds. */
export interface StoredSchedule {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: string;
  State: string;
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  CreationDate: Date;
  LastModificationDate: Date;
}

/** Options of a scheduler stand-in. */
export interface SchedulerStandinOptions {
  /** Schedule groups that exist; `default` always does. */
  groups?: string[];
  /** When given, an `at()` not after this instant is refused like the service refuses a past date. */
  now?: () => Date;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const ACCOUNT = '123456789012';

/** The instant of an `at()` expression (UTC), ms. */
function atOf(expression: string): number {
  const m = AT.exec(expression);
  return m ? Date.parse(`${m[1]}Z`) : Number.POSITIVE_INFINITY;
}

/** A running stand-in; `endpoint` is what the SDK client is pointed at. */
export class SchedulerStandin {
  /** Schedules by `group/name`. */
  readonly schedules = new Map<string, StoredSchedule>();
  readonly requests: RecordedRequest[] = [];
  /** Schedules per ListSchedules page when the request names no MaxResults. */
  pageSize = 100;
  /** Called with each request before it is handled: lets a test change the world in between. */
  onRequest: ((req: RecordedRequest) => void) | undefined;
  private readonly groups: Set<string>;

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly options: SchedulerStandinOptions,
  ) {
    this.groups = new Set(['default', ...(options.groups ?? [])]);
  }

  /** Starts a stand-in on a random loopback port. */
  static async start(options: SchedulerStandinOptions = {}): Promise<SchedulerStandin> {
    let standin: SchedulerStandin | undefined;
    const { server, endpoint } = await listenLoopback((req, res) => standin!.handle(req, res));
    standin = new SchedulerStandin(server, endpoint, options);
    return standin;
  }

  /** The schedule `name` in `group`, if it exists. */
  get(group: string, name: string): StoredSchedule | undefined {
    return this.schedules.get(`${group}/${name}`);
  }

  /** The schedules of timer `timerName`: named after it, or after it and an instant (`<name>.<yyyymmddThhmmss>`). */
  timersOf(group: string, timerName: string): StoredSchedule[] {
    return [...this.schedules.values()].filter(
      (s) =>
        s.GroupName === group &&
        (s.Name === timerName || new RegExp(`^${timerName.replace(/[.]/g, '\\.')}\\.\\d{8}T\\d{6}$`).test(s.Name)),
    );
  }

  /** The one schedule of timer `timerName`, if any (two at once is a leak, and throws). */
  timer(group: string, timerName: string): StoredSchedule | undefined {
    const found = this.timersOf(group, timerName);
    if (found.length > 1)
      throw new Error(`timer ${timerName} has ${found.length} schedules: ${found.map((s) => s.Name).join(', ')}`);
    return found[0];
  }

  /**
   * Fires what is due at `now` as EventBridge Scheduler does: invokes the
   * target with the schedule's Input and, when that invocation is done, applies
   * ActionAfterCompletion DELETE to the schedule OF THAT NAME, whatever it
   * holds by then: a handler that updated the same name loses its update.
   * Returns the names fired.
   */
  async fireDue(now: Date, invoke: (target: string, input: string) => Promise<unknown>): Promise<string[]> {
    const due = [...this.schedules.values()].filter(
      (s) => s.State === 'ENABLED' && atOf(s.ScheduleExpression) <= now.getTime(),
    );
    for (const s of due) {
      await invoke(s.Target.Arn, s.Target.Input ?? '{}');
      if (s.ActionAfterCompletion === 'DELETE') this.schedules.delete(`${s.GroupName}/${s.Name}`);
    }
    return due.map((s) => s.Name);
  }

  /** Requests of one operation, in order. */
  requestsOf(operation: RecordedRequest['operation']): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** Stops listening and drops open connections. */
  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const raw = await bodyText(req);
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const operation: RecordedRequest['operation'] =
      url.pathname === '/schedules' && req.method === 'GET'
        ? 'ListSchedules'
        : !match
          ? 'Unknown'
          : req.method === 'POST'
            ? 'CreateSchedule'
            : req.method === 'PUT'
              ? 'UpdateSchedule'
              : req.method === 'DELETE'
                ? 'DeleteSchedule'
                : req.method === 'GET'
                  ? 'GetSchedule'
                  : 'Unknown';
    const recorded: RecordedRequest = {
      operation,
      method: req.method ?? '',
      path: url.pathname,
      name: match ? decodeURIComponent(match[1]!) : '',
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
    };
    this.requests.push(recorded);
    try {
      this.onRequest?.(recorded);
      const out = this.dispatch(recorded);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 'InternalServerException', String(err));
      restJsonError(res, e, 'com.amazonaws.scheduler', `req-${this.requests.length}`, { Message: e.message });
    }
  }

  private dispatch(r: RecordedRequest): unknown {
    switch (r.operation) {
      case 'CreateSchedule':
      case 'UpdateSchedule':
        return this.put(r);
      case 'GetSchedule': {
        const s = this.existing(r.query.groupName ?? 'default', r.name);
        return {
          ...s,
          CreationDate: s.CreationDate.getTime() / 1000,
          LastModificationDate: s.LastModificationDate.getTime() / 1000,
        };
      }
      case 'ListSchedules': {
        // One page of at most MaxResults (default 100 here, to exercise paging), NextToken the index to resume at.
        const group = r.query.ScheduleGroup;
        const prefix = r.query.NamePrefix ?? '';
        const all = [...this.schedules.values()]
          .filter((s) => (!group || s.GroupName === group) && s.Name.startsWith(prefix))
          .sort((a, b) => a.Name.localeCompare(b.Name));
        const start = Number(r.query.NextToken ?? 0);
        const size = Number(r.query.MaxResults ?? this.pageSize);
        const page = all.slice(start, start + size);
        return {
          Schedules: page.map((s) => ({
            Arn: s.Arn,
            Name: s.Name,
            GroupName: s.GroupName,
            State: s.State,
            Target: { Arn: s.Target.Arn },
            CreationDate: s.CreationDate.getTime() / 1000,
            LastModificationDate: s.LastModificationDate.getTime() / 1000,
          })),
          ...(start + size < all.length ? { NextToken: String(start + size) } : {}),
        };
      }
      case 'DeleteSchedule': {
        const group = r.query.groupName ?? 'default';
        this.existing(group, r.name);
        this.schedules.delete(`${group}/${r.name}`);
        return {};
      }
      default:
        throw new ApiError(404, 'UnknownOperationException', `${r.method} ${r.path}`);
    }
  }

  private existing(group: string, name: string): StoredSchedule {
    const s = this.get(group, name);
    if (!s) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return s;
  }

  private put(r: RecordedRequest): { ScheduleArn: string } {
    const b = (r.body ?? {}) as Partial<StoredSchedule>;
    const group = b.GroupName ?? 'default';
    if (!NAME.test(r.name)) throw new ApiError(400, 'ValidationException', `Invalid schedule name ${r.name}.`);
    if (!this.groups.has(group))
      throw new ApiError(404, 'ResourceNotFoundException', `Schedule group ${group} does not exist.`);
    this.validate(b);
    const key = `${group}/${r.name}`;
    const prior = this.schedules.get(key);
    if (r.operation === 'CreateSchedule' && prior) {
      throw new ApiError(409, 'ConflictException', `Schedule ${r.name} already exists.`);
    }
    if (r.operation === 'UpdateSchedule' && !prior) {
      throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${r.name} does not exist.`);
    }
    const now = new Date();
    const arn = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/${group}/${r.name}`;
    this.schedules.set(key, {
      Arn: arn,
      Name: r.name,
      GroupName: group,
      ScheduleExpression: b.ScheduleExpression!,
      ...(b.ScheduleExpressionTimezone ? { ScheduleExpressionTimezone: b.ScheduleExpressionTimezone } : {}),
      FlexibleTimeWindow: b.FlexibleTimeWindow!,
      ...(b.ActionAfterCompletion ? { ActionAfterCompletion: b.ActionAfterCompletion } : {}),
      State: b.State ?? 'ENABLED',
      Target: b.Target!,
      CreationDate: prior?.CreationDate ?? now,
      LastModificationDate: now,
    });
    return { ScheduleArn: arn };
  }

  private validate(b: Partial<StoredSchedule>): void {
    const fail = (message: string): never => {
      throw new ApiError(400, 'ValidationException', message);
    };
    if (!b.ScheduleExpression) fail('ScheduleExpression is required.');
    if (!b.FlexibleTimeWindow?.Mode) fail('FlexibleTimeWindow is required.');
    if (!b.Target?.Arn || !b.Target.RoleArn) fail('Target.Arn and Target.RoleArn are required.');
    const tz = b.ScheduleExpressionTimezone ?? 'UTC';
    if (tz !== 'UTC') fail(`The stand-in only evaluates UTC, not ${tz}.`);
    const at = AT.exec(b.ScheduleExpression!);
    if (!at) fail(`Invalid Schedule Expression ${b.ScheduleExpression}.`);
    const when = new Date(`${at![1]}Z`);
    if (Number.isNaN(when.getTime())) fail(`Invalid Schedule Expression ${b.ScheduleExpression}.`);
    const now = this.options.now?.();
    if (now && when.getTime() <= now.getTime()) {
      fail(`The schedule expression ${b.ScheduleExpression} is in the past.`);
    }
  }
}
