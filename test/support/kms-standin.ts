/**
 * A local stand-in for the parts of AWS KMS drumbeat calls, speaking KMS's
 * JSON 1.1 wire protocol (POST `/`, `X-Amz-Target: TrentService.<Operation>`,
 * `application/x-amz-json-1.1`, blobs base64), enough for the real
 * `@aws-sdk/client-kms`: GenerateDataKey and Decrypt. Each key has its own
 * random master key; a ciphertext blob is the data key sealed under it with
 * AES-256-GCM, bound to the key and the encryption context as KMS binds them,
 * so a tampered blob, another key or another context is
 * `InvalidCiphertextException`. `deny` plays IAM: a denied operation is
 * `AccessDeniedException`. Errors carry `__type` as the SDK parses it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, jsonBody, listenLoopback } from './standin-server.js';

type Operation = 'GenerateDataKey' | 'Decrypt';

/** One request as received. */
export interface KmsRequest {
  operation: string;
  body: Record<string, unknown>;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const ACCOUNT = '123456789012';

/** A running stand-in; `endpoint` is what the SDK client is pointed at. */
export class KmsStandin {
  readonly requests: KmsRequest[] = [];
  /** Operations IAM would refuse (AccessDeniedException). */
  deny = new Set<Operation>();
  /**
   * Plays policies conditioned on `kms:EncryptionContext:purpose` (infra/kms.ts):
   * an operation listed here is refused under any purpose not in its set.
   */
  onlyPurposes: Partial<Record<Operation, ReadonlySet<string>>> = {};
  private readonly masters = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  /** Starts a stand-in on a random loopback port, with the given key ids (UUIDs) existing. */
  static async start(keyIds: string[]): Promise<KmsStandin> {
    let standin: KmsStandin | undefined;
    const { server, endpoint } = await listenLoopback((req, res) => standin!.handle(req, res));
    standin = new KmsStandin(server, endpoint);
    for (const id of keyIds) standin.masters.set(id, randomBytes(32));
    return standin;
  }

  /** The ARN of key `id`. */
  static arn(id: string): string {
    return `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
  }

  /** Requests of one operation. */
  requestsOf(operation: Operation): KmsRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    const body = await jsonBody(req);
    this.requests.push({ operation, body });
    try {
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1')
        throw new KmsError('ValidationException', 'expected POST application/x-amz-json-1.1');
      if (operation !== 'GenerateDataKey' && operation !== 'Decrypt')
        throw new KmsError('UnknownOperationException', `unknown operation ${target}`);
      if (this.deny.has(operation))
        throw new KmsError('AccessDeniedException', `User is not authorized to perform: kms:${operation}`);
      const purpose = (body.EncryptionContext as Record<string, string> | undefined)?.purpose;
      const allowed = this.onlyPurposes[operation];
      if (allowed && !(purpose && allowed.has(purpose))) {
        throw new KmsError(
          'AccessDeniedException',
          `User is not authorized to perform: kms:${operation} with encryption context purpose ${purpose}`,
        );
      }
      const out = operation === 'GenerateDataKey' ? this.generate(body) : this.decrypt(body);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out));
    } catch (err) {
      const e = err instanceof KmsError ? err : new KmsError('KMSInternalException', String(err));
      res
        .writeHead(e.type === 'KMSInternalException' ? 500 : 400, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': `req-${this.requests.length}`,
        })
        .end(JSON.stringify({ __type: e.type, message: e.message }));
    }
  }

  private keyOf(keyId: unknown): { id: string; master: Buffer } {
    const id = typeof keyId === 'string' ? keyId.replace(/^arn:aws:kms:[^:]+:\d{12}:key\//, '') : '';
    const master = this.masters.get(id);
    if (!master) throw new KmsError('NotFoundException', `Key '${String(keyId)}' does not exist`);
    return { id, master };
  }

  private static aad(id: string, context: unknown): Buffer {
    const ctx = (context ?? {}) as Record<string, string>;
    const canonical = Object.keys(ctx)
      .sort()
      .map((k) => [k, ctx[k]]);
    return Buffer.from(JSON.stringify([id, canonical]));
  }

  private generate(b: Record<string, unknown>) {
    const { id, master } = this.keyOf(b.KeyId);
    if (b.KeySpec !== 'AES_256' && b.NumberOfBytes !== 32)
      throw new KmsError('ValidationException', 'KeySpec must be AES_256');
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv).setAAD(KmsStandin.aad(id, b.EncryptionContext));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    // The blob names its key, as KMS's does, so Decrypt needs no KeyId.
    const blob = Buffer.concat([Buffer.from(id.padEnd(36).slice(0, 36)), iv, sealed]);
    return {
      KeyId: KmsStandin.arn(id),
      CiphertextBlob: blob.toString('base64'),
      Plaintext: plaintext.toString('base64'),
    };
  }

  private decrypt(b: Record<string, unknown>) {
    const blob = Buffer.from(String(b.CiphertextBlob ?? ''), 'base64');
    if (blob.length < 36 + 12 + 16) throw new KmsError('InvalidCiphertextException', 'invalid ciphertext');
    const id = blob.subarray(0, 36).toString().trim();
    const { master } = this.keyOf(id);
    if (b.KeyId !== undefined && this.keyOf(b.KeyId).id !== id)
      throw new KmsError('IncorrectKeyException', 'the ciphertext was encrypted under another key');
    const iv = blob.subarray(36, 48);
    const body = blob.subarray(48);
    try {
      const decipher = createDecipheriv('aes-256-gcm', master, iv).setAAD(KmsStandin.aad(id, b.EncryptionContext));
      decipher.setAuthTag(body.subarray(body.length - 16));
      const plaintext = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
      return {
        KeyId: KmsStandin.arn(id),
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    } catch {
      throw new KmsError('InvalidCiphertextException', 'invalid ciphertext');
    }
  }
}
