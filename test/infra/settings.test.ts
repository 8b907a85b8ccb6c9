import { describe, expect, it } from 'vitest';
import { tableDefinition } from '@drumbeat/store';
import { isProductionStage, mailSender, physicalName } from '../../infra/stage.js';
import { dynamoShape } from '../../infra/table-schema.js';
import { dnsMode, emailList, reservedConcurrency, routerDomain, wafRateLimit } from '../../infra/settings.js';
import { DYNAMO_ACTIONS } from '../../infra/actions.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/bundle.js';

/** The pure parts of infra/ (no SST globals), checked without SST's platform. */

describe('stages', () => {
  it('treats production and prod, and only them, as production', () => {
    expect(['production', 'prod'].map(isProductionStage)).toEqual([true, true]);
    expect(['ci', 'dev', 'Production', 'prod-2'].map(isProductionStage)).toEqual([false, false, false, false]);
  });

  it('names resources drumbeat-<stage>-<suffix> and refuses names Lambda would refuse', () => {
    expect(physicalName('drumbeat', 'ci', 'publish')).toBe('drumbeat-ci-publish');
    expect(() => physicalName('drumbeat', 's'.repeat(60), 'publish')).toThrow(/longer than 64/);
  });

  it('requires a mail sender on production only', () => {
    expect(mailSender('prod', 'example.org')).toBe('example.org');
    expect(mailSender('dev', undefined)).toBe('drumbeat@example.com');
    expect(() => mailSender('production', undefined)).toThrow(/DRUMBEAT_MAIL_SENDER/);
    expect(() => mailSender('production', '')).toThrow(/DRUMBEAT_MAIL_SENDER/);
  });
});

describe('the table handed to sst.aws.Dynamo', () => {
  it('has the keys and indexes of the store table definition', () => {
    const def = tableDefinition('x');
    const shape = dynamoShape();
    expect(Object.keys(shape.fields).sort()).toEqual(def.AttributeDefinitions!.map((a) => a.AttributeName).sort());
    expect(shape.primaryIndex).toEqual({ hashKey: 'pk', rangeKey: 'sk' });
    expect(shape.globalIndexes).toEqual({ gsi1: { hashKey: 'gsi1pk', rangeKey: 'gsi1sk', projection: 'all' } });
  });
});

describe('deploy settings', () => {
  it('serves DRUMBEAT_PUBLIC_URL as the Router domain, through Route 53 or with a given certificate', () => {
    expect(routerDomain({})).toBeUndefined();
    expect(routerDomain({ DRUMBEAT_PUBLIC_URL: 'https://Drumbeat.Example.org/' })).toEqual({
      name: 'drumbeat.example.org',
    });
    const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123';
    expect(
      routerDomain({ DRUMBEAT_PUBLIC_URL: 'https://d.example.org', DRUMBEAT_DNS: 'manual', DRUMBEAT_CERT_ARN: cert }),
    ).toEqual({ name: 'd.example.org', dns: false, cert });
    expect(() => routerDomain({ DRUMBEAT_PUBLIC_URL: 'https://d.example.org', DRUMBEAT_DNS: 'manual' })).toThrow(
      /DRUMBEAT_CERT_ARN/,
    );
    // CloudFront certificates live in us-east-1.
    expect(() =>
      routerDomain({
        DRUMBEAT_PUBLIC_URL: 'https://d.example.org',
        DRUMBEAT_DNS: 'manual',
        DRUMBEAT_CERT_ARN: cert.replace('us-east-1', 'eu-west-1'),
      }),
    ).toThrow(/us-east-1/);
    for (const bad of [
      'http://d.example.org',
      'https://d.example.org/app',
      'https://d.example.org:8443',
      'd.example.org',
      'https://localhost',
    ]) {
      expect(() => routerDomain({ DRUMBEAT_PUBLIC_URL: bad }), bad).toThrow(/DRUMBEAT_PUBLIC_URL/);
    }
    expect(() => dnsMode({ DRUMBEAT_DNS: 'cloudflare' })).toThrow(/DRUMBEAT_DNS/);
  });

  it('reads alert addresses, the WAF limit and reserved concurrency, refusing what AWS would refuse', () => {
    expect(emailList({ DRUMBEAT_ALERT_EMAILS: ' a@x.org, b@y.org ,' }, 'DRUMBEAT_ALERT_EMAILS')).toEqual([
      'a@x.org',
      'b@y.org',
    ]);
    expect(emailList({}, 'DRUMBEAT_ALERT_EMAILS')).toEqual([]);
    expect(() => emailList({ DRUMBEAT_ALERT_EMAILS: 'ops' }, 'DRUMBEAT_ALERT_EMAILS')).toThrow(
      /"ops" is not an email address/,
    );
    expect(wafRateLimit({})).toBeUndefined();
    expect(wafRateLimit({ DRUMBEAT_WAF_RATE_LIMIT: '500' })).toBe(500);
    expect(() => wafRateLimit({ DRUMBEAT_WAF_RATE_LIMIT: '5' })).toThrow(/at least 10/);
    expect(reservedConcurrency({}, 'API', 20)).toBe(20);
    expect(reservedConcurrency({ DRUMBEAT_API_CONCURRENCY: 'none' }, 'API', 20)).toBeUndefined();
    expect(reservedConcurrency({ DRUMBEAT_PUBLISH_CONCURRENCY: '3' }, 'PUBLISH', 10)).toBe(3);
    // 0 would disable the function altogether.
    expect(() => reservedConcurrency({ DRUMBEAT_PUBLISH_CONCURRENCY: '0' }, 'PUBLISH', 10)).toThrow(/positive integer/);
  });
});

describe('the DynamoDB actions granted to the functions', () => {
  /** Every DocumentClient command the code deployed to Lambda sends (not the embedded runtime's, not ensureTable). */
  function commandsUsed(): Set<string> {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (
          /\.tsx?$/.test(entry.name) &&
          !/\.test\.tsx?$/.test(entry.name) &&
          !path.endsWith(join('store', 'src', 'table.ts'))
        ) {
          for (const m of readFileSync(path, 'utf8').matchAll(
            /new (Get|Put|Update|Delete|Query|Scan|BatchGet|BatchWrite|TransactGet|TransactWrite)(?:Item)?Command\(/g,
          ))
            used.add(m[1]!);
        }
      }
    };
    for (const pkg of ['store', 'services', 'api', 'channels', 'aws', 'core']) walk(join(ROOT, 'packages', pkg, 'src'));
    walk(join(ROOT, 'functions'));
    return used;
  }

  it('are exactly the ones the deployed code calls', () => {
    const item = new Set(['Get', 'Put', 'Update', 'Delete']);
    const expected = [...commandsUsed()].map(
      (c) => `dynamodb:${c}${item.has(c) || c.startsWith('Batch') || c.startsWith('Transact') ? 'Item' : ''}`,
    );
    expect([...DYNAMO_ACTIONS].sort()).toEqual(expected.sort());
  });
});
