import { mailSender } from './stage';
import { dnsMode } from './settings';

/** Where SES publishes bounces and complaints (infra/mail-events.ts handles them). */
export const mailEvents = new aws.sns.Topic('MailEvents');

/**
 * The SES sender identity alert mail goes out from (see `mailSender`). For a
 * domain, SST adds the DKIM records in this account's Route 53 unless
 * `DRUMBEAT_DNS=manual`: then add the records of the `dkim` output by hand
 * (README, "On AWS"). Bounces and complaints go to `mailEvents`, and the
 * configuration set suppresses those addresses itself.
 */
export const email = new sst.aws.Email('Email', {
  sender: mailSender($app.stage, process.env.DRUMBEAT_MAIL_SENDER),
  ...(dnsMode(process.env) === 'manual' ? { dns: false as const } : {}),
  events: [{ name: 'bounces-and-complaints', types: ['bounce', 'complaint'], topic: mailEvents.arn }],
  transform: {
    configurationSet: (args) => {
      args.suppressionOptions = { suppressedReasons: ['BOUNCE', 'COMPLAINT'] };
    },
  },
});

/** The DKIM CNAME records a domain identity needs (`<token>._domainkey.<domain>` → `<token>.dkim.amazonses.com`). */
export const dkimRecords = email.nodes.identity.dkimSigningAttributes.apply((d) =>
  (d?.tokens ?? []).map((t) => ({ type: 'CNAME', name: `${t}._domainkey`, value: `${t}.dkim.amazonses.com` })),
);
