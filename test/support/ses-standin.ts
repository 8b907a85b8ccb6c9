/**
 * A local stand-in for the SES v2 `SendEmail` REST JSON API
 * (POST `/v2/email/outbound-emails`), enough for the real
 * `@aws-sdk/client-sesv2` to talk to it. It records what the SDK sent,
 * answers `{MessageId}`, and refuses like SES does: a sender outside the
 * verified identities is `MessageRejected`, a malformed request or header is
 * `BadRequestException`; errors carry the `x-amzn-errortype` header and a
 * `{message}` body the SDK parses.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError, bodyText, closeServer, listenLoopback, restJsonError } from './standin-server.js';

/** One SendEmail request as received. */
export interface SesRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: SendEmailBody;
  /** The MessageId answered, when the request was accepted. */
  messageId?: string;
}

/** The SendEmail body fields the stand-in reads. */
export interface SendEmailBody {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ConfigurationSetName?: string;
  Content?: {
    Simple?: {
      Subject?: { Data?: string; Charset?: string };
      Body?: { Text?: { Data?: string; Charset?: string }; Html?: { Data?: string; Charset?: string } };
      Headers?: { Name?: string; Value?: string }[];
    };
    Raw?: { Data?: string };
    Template?: unknown;
  };
}

/** Options of an SES stand-in. */
export interface SesStandinOptions {
  /** Verified identities (addresses or domains); when given, any other sender is MessageRejected. */
  verified?: string[];
}

const HEADER_NAME = /^[!-9;-@A-~]{1,126}$/;
const HEADER_VALUE = /^[ -~]{1,870}$/;

/** The address inside `Name <addr>`, or the text itself. */
function bareAddress(from: string): string {
  return (/<([^>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** A running stand-in; `endpoint` is what the SDK client is pointed at. */
export class SesStandin {
  readonly requests: SesRequest[] = [];
  /** The account's suppression list (PutSuppressedDestination), by address. */
  readonly suppressed = new Map<string, string>();
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly options: SesStandinOptions,
  ) {}

  /** Starts a stand-in on a random loopback port. */
  static async start(options: SesStandinOptions = {}): Promise<SesStandin> {
    let standin: SesStandin | undefined;
    const { server, endpoint } = await listenLoopback((req, res) => standin!.handle(req, res));
    standin = new SesStandin(server, endpoint, options);
    return standin;
  }

  /** The requests SES accepted. */
  get accepted(): SesRequest[] {
    return this.requests.filter((r) => r.messageId !== undefined);
  }

  /** Stops listening and drops open connections. */
  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await bodyText(req);
    const recorded: SesRequest = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://standin').pathname,
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as SendEmailBody) : {},
    };
    this.requests.push(recorded);
    try {
      if (recorded.method === 'PUT' && recorded.path === '/v2/email/suppression/addresses') {
        const b = recorded.body as { EmailAddress?: string; Reason?: string };
        if (!b.EmailAddress || (b.Reason !== 'BOUNCE' && b.Reason !== 'COMPLAINT'))
          throw new ApiError(400, 'BadRequestException', 'EmailAddress and Reason (BOUNCE or COMPLAINT) are required.');
        this.suppressed.set(b.EmailAddress, b.Reason);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (recorded.method !== 'POST' || recorded.path !== '/v2/email/outbound-emails') {
        throw new ApiError(404, 'NotFoundException', `${recorded.method} ${recorded.path}`);
      }
      this.validate(recorded.body);
      recorded.messageId = `0100${randomBytes(8).toString('hex')}-${randomBytes(4).toString('hex')}-000000`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: recorded.messageId }));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 'InternalServiceErrorException', String(err));
      restJsonError(res, e, 'com.amazonaws.sesv2', `req-${this.requests.length}`, { message: e.message });
    }
  }

  private validate(b: SendEmailBody): void {
    const bad = (message: string): never => {
      throw new ApiError(400, 'BadRequestException', message);
    };
    if (!b.FromEmailAddress) bad('FromEmailAddress is required.');
    const to = [
      ...(b.Destination?.ToAddresses ?? []),
      ...(b.Destination?.CcAddresses ?? []),
      ...(b.Destination?.BccAddresses ?? []),
    ];
    if (to.length === 0) bad('Missing final @domain / no recipients.');
    const kinds = [b.Content?.Simple, b.Content?.Raw, b.Content?.Template].filter((c) => c !== undefined);
    if (kinds.length !== 1) bad('Content must hold exactly one of Simple, Raw or Template.');
    const simple = b.Content?.Simple;
    if (simple) {
      if (simple.Subject?.Data === undefined) bad('Subject is required.');
      if (!simple.Body?.Text && !simple.Body?.Html) bad('Body is required.');
      for (const h of simple.Headers ?? []) {
        if (!h.Name || !HEADER_NAME.test(h.Name)) bad(`Invalid header name ${h.Name}.`);
        if (!h.Value || !HEADER_VALUE.test(h.Value)) bad(`Invalid value for header ${h.Name}.`);
      }
    }
    const verified = this.options.verified;
    if (verified) {
      const from = bareAddress(b.FromEmailAddress!);
      const domain = from.split('@')[1] ?? '';
      if (!verified.some((v) => v.toLowerCase() === from || v.toLowerCase() === domain)) {
        throw new ApiError(
          400,
          'MessageRejected',
          `Email address is not verified. The following identities failed the check in region US-EAST-1: ${from}`,
        );
      }
    }
  }
}
