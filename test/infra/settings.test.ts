import { describe, expect, it } from 'vitest';
import { tableDefinition } from '@drumbeat/store';
import { isProductionStage, mailSender, physicalName } from '../../infra/stage.js';
import { dynamoShape } from '../../infra/table-schema.js';

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
