import { dynamoShape } from './table-schema';
import { DYNAMO_ACTIONS, SES_ACTIONS } from './actions';

/**
 * Least privilege for what every function links: SST's own links grant
 * `dynamodb:*` on a table and `ses:*` plus `ses:Send*` on `*`. These replace
 * them (Linkable.wrap, before any function is made) with the actions the code
 * really calls, on the resources it calls them on. Resource.Table and
 * Resource.Email keep their shapes.
 */

/** Overrides the links of the table and the mail identity; call once, before the functions exist. */
export function narrowLinks(sandboxRecipients: string[]): void {
  sst.Linkable.wrap(sst.aws.Dynamo, (table) => ({
    properties: { name: table.name },
    include: [
      sst.aws.permission({
        actions: [...DYNAMO_ACTIONS],
        resources: [
          table.arn,
          ...Object.keys(dynamoShape().globalIndexes).map((index) => $interpolate`${table.arn}/index/${index}`),
        ],
      }),
    ],
  }));
  sst.Linkable.wrap(sst.aws.Email, (email) => {
    const identity = email.nodes.identity.arn;
    // In the SES sandbox, SES also authorizes each (verified) recipient identity.
    const recipients = sandboxRecipients.map((r) =>
      identity.apply((arn: string) => arn.replace(/identity\/.*$/, `identity/${r}`)),
    );
    return {
      properties: { sender: email.sender, configSet: email.configSet },
      include: [
        sst.aws.permission({
          actions: [...SES_ACTIONS],
          resources: [identity, email.nodes.configurationSet.arn, ...recipients],
        }),
      ],
    };
  });
}
