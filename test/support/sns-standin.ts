/**
 * A local stand-in for SNS `Publish`, in SNS's wire protocol (AWS Query: a
 * form-encoded POST with `Action=Publish`, answered in XML), enough for the
 * real `@aws-sdk/client-sns`. It records what was published.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stand-in; `endpoint` is what the SDK client is pointed at. */
export class SnsStandin {
  readonly published: { TopicArn: string; Subject?: string; Message: string }[] = [];
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<SnsStandin> {
    let standin: SnsStandin | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('Action') !== 'Publish' || !form.get('TopicArn') || !form.get('Message')) {
        res
          .writeHead(400, { 'content-type': 'text/xml' })
          .end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad request</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
          );
        return;
      }
      standin!.published.push({
        TopicArn: form.get('TopicArn')!,
        ...(form.get('Subject') ? { Subject: form.get('Subject')! } : {}),
        Message: form.get('Message')!,
      });
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standin = new SnsStandin(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return standin;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
