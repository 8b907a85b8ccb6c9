/**
 * Pulumi mocks shaped like AWS: every registered resource is recorded with its
 * inputs and answered with the outputs the real provider would compute
 * (ARNs, URLs, names), and the few data-source invokes SST's components make
 * (region, partition, account, IAM policy documents) answer for a fixed
 * account in us-east-1. An invoke not listed here fails the run.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** One resource the program registered. */
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
}

interface MockResourceArgs {
  type: string;
  name: string;
  inputs: Record<string, any>;
  id?: string;
}

interface MockCallArgs {
  token: string;
  inputs: Record<string, any>;
}

function arnFor(type: string, physical: string, inputs: Record<string, any>): string {
  const [pkg, mod] = type.split(':');
  const service = (mod ?? '').split('/')[0] ?? '';
  if (type === 'aws:lambda/function:Function') return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical}`;
  if (type === 'aws:iam/role:Role') return `arn:aws:iam::${ACCOUNT}:role/${physical}`;
  if (type === 'aws:iam/policy:Policy') return `arn:aws:iam::${ACCOUNT}:policy/${physical}`;
  if (type === 'aws:sqs/queue:Queue') return `arn:aws:sqs:${REGION}:${ACCOUNT}:${physical}`;
  if (type === 'aws:dynamodb/table:Table') return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${physical}`;
  if (type === 'aws:scheduler/scheduleGroup:ScheduleGroup')
    return `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${physical}`;
  if (type.startsWith('aws:cloudfront/'))
    return `arn:aws:cloudfront::${ACCOUNT}:${type.split(':')[2]!.toLowerCase()}/${physical}`;
  if (type === 'aws:sesv2/emailIdentity:EmailIdentity')
    return `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${inputs.emailIdentity ?? physical}`;
  if (type === 'aws:sesv2/configurationSet:ConfigurationSet')
    return `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${inputs.configurationSetName ?? physical}`;
  return `arn:aws:${service || pkg}:${REGION}:${ACCOUNT}:${physical}`;
}

/** The outputs AWS would add to `inputs` for a resource of `type`. */
export function resourceState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const physical: string = inputs.name ?? name;
  const state: Record<string, any> = { ...inputs, name: physical, arn: inputs.arn ?? arnFor(type, physical, inputs) };
  switch (type) {
    case 'aws:lambda/function:Function':
      state.invokeArn = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
      state.qualifiedArn = `${state.arn}:$LATEST`;
      break;
    case 'aws:lambda/functionUrl:FunctionUrl':
      state.functionUrl = `https://${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.lambda-url.${REGION}.on.aws/`;
      state.urlId = name;
      break;
    case 'aws:sqs/queue:Queue':
      state.url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}`;
      break;
    case 'aws:dynamodb/table:Table':
      state.streamArn = `${state.arn}/stream/2026-01-01T00:00:00.000`;
      break;
    case 'aws:cloudfront/distribution:Distribution':
      state.domainName = 'd111111abcdef8.cloudfront.net';
      state.hostedZoneId = 'Z2FDTNDATAQYW2';
      state.status = 'Deployed';
      break;
    case 'random:index/randomBytes:RandomBytes':
      state.base64 = Buffer.alloc(inputs.length ?? 32, 7).toString('base64');
      state.hex = Buffer.alloc(inputs.length ?? 32, 7).toString('hex');
      break;
    case 'aws:iam/role:Role':
      state.uniqueId = `AROA${name.toUpperCase().slice(0, 12)}`;
      break;
    case 'aws:acm/certificate:Certificate':
      state.domainValidationOptions = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map(
        (d: string) => ({
          domainName: d,
          resourceRecordName: `_0123456789abcdef.${d}.`,
          resourceRecordType: 'CNAME',
          resourceRecordValue: '_fedcba9876543210.acm-validations.aws.',
        }),
      );
      state.status = 'ISSUED';
      break;
    case 'aws:sesv2/emailIdentity:EmailIdentity':
      state.dkimSigningAttributes = { tokens: ['dkimtokena', 'dkimtokenb', 'dkimtokenc'], status: 'PENDING' };
      break;
    case 'aws:sesv2/configurationSet:ConfigurationSet':
      state.configurationSetName = inputs.configurationSetName ?? physical;
      break;
  }
  return state;
}

/** Renders `aws.iam.getPolicyDocument` statements the way the provider does (Principal, Condition blocks). */
export function policyDocument(inputs: Record<string, any>): string {
  const statements = (inputs.statements ?? []).map((s: any) => {
    const out: Record<string, unknown> = { Effect: s.effect === 'Deny' ? 'Deny' : 'Allow' };
    if (s.sid) out.Sid = s.sid;
    if (s.actions) out.Action = s.actions.length === 1 ? s.actions[0] : s.actions;
    if (s.resources) out.Resource = s.resources.length === 1 ? s.resources[0] : s.resources;
    if (s.principals) {
      const p: Record<string, unknown> = {};
      for (const pr of s.principals) p[pr.type] = pr.identifiers.length === 1 ? pr.identifiers[0] : pr.identifiers;
      out.Principal = p;
    }
    if (s.conditions) {
      const c: Record<string, Record<string, unknown>> = {};
      for (const cond of s.conditions)
        (c[cond.test] ??= {})[cond.variable] = cond.values.length === 1 ? cond.values[0] : cond.values;
      out.Condition = c;
    }
    return out;
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The mocks object for `runtime.setMocks`, recording into `resources` and `invokes`. */
export function awsMocks(resources: RecordedResource[], invokes: string[]) {
  return {
    newResource(args: MockResourceArgs): { id: string; state: Record<string, any> } {
      const state = resourceState(args.type, args.name, args.inputs);
      resources.push({ type: args.type, name: args.name, inputs: args.inputs, state });
      return { id: args.id || `${args.name}-id`, state };
    },
    call(args: MockCallArgs): Record<string, any> {
      invokes.push(args.token);
      switch (args.token) {
        case 'aws:index/getRegion:getRegion':
          return {
            id: REGION,
            name: REGION,
            region: REGION,
            endpoint: `ec2.${REGION}.amazonaws.com`,
            description: 'US East (N. Virginia)',
          };
        case 'aws:index/getPartition:getPartition':
          return { id: 'aws', partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws' };
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return { id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ci`, userId: 'AIDACI' };
        case 'aws:iam/getPolicyDocument:getPolicyDocument':
          // Like the provider, echo the statements alongside the rendered document.
          return {
            ...args.inputs,
            id: 'policy',
            json: policyDocument(args.inputs),
            minifiedJson: policyDocument(args.inputs),
          };
        default:
          throw new Error(`unexpected invoke ${args.token}`);
      }
    },
  };
}
