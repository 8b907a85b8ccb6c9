/** Stages that hold real data: resources are retained on removal, backed up and protected. */
export const PRODUCTION_STAGES = ['production', 'prod'] as const;

/** True for a production stage. */
export function isProductionStage(stage: string): boolean {
  return (PRODUCTION_STAGES as readonly string[]).includes(stage);
}

/** Deterministic physical names (`drumbeat-<stage>-<suffix>`), for resources whose ARN must be known before they exist. */
export function physicalName(app: string, stage: string, suffix: string): string {
  const name = `${app}-${stage}-${suffix}`;
  if (name.length > 64)
    throw new Error(`resource name "${name}" is longer than 64 characters: use a shorter stage name`);
  return name;
}

/**
 * The SES identity mail is sent from: `DRUMBEAT_MAIL_SENDER` (an address, or a
 * domain you control), required on production; other stages fall back to a
 * placeholder address that SES will ask to verify.
 */
export function mailSender(stage: string, configured: string | undefined): string {
  if (configured) return configured;
  if (isProductionStage(stage))
    throw new Error('set DRUMBEAT_MAIL_SENDER (an address or a domain) to deploy a production stage');
  return 'drumbeat@example.com';
}
