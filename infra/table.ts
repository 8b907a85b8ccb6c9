import { isProductionStage } from './stage';
import { dynamoShape, TTL_ATTRIBUTE } from './table-schema';

const production = isProductionStage($app.stage);

/**
 * The single table: on-demand, keys and GSI1 from the store's tableDefinition(),
 * TTL on `expiresAt`. Point-in-time recovery and deletion protection on production only.
 */
export const table = new sst.aws.Dynamo('Table', {
  ...dynamoShape(),
  ttl: TTL_ATTRIBUTE,
  deletionProtection: production,
  transform: {
    table: (args) => {
      args.pointInTimeRecovery = { enabled: production };
    },
  },
});
