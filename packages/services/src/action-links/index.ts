export { ActionLinks, LinkRefused, LINK_TTL_MS, type OpenLink } from './action-links.js';
export { LinkSecrets, SECRET_ROLL_MS } from './link-secrets.js';
export {
  signLink,
  readLink,
  linkSignatureHolds,
  postRev,
  recipientTag,
  formToken,
  type LinkClaims,
  type LinkKind,
} from './action-token.js';
export { PeopleMail } from './people-mail.js';
export { reviewEmail, changesRequestedEmail, authorLabel, slaDeadline } from './review-email.js';
export {
  ReviewDigests,
  REVIEW_DIGEST_WINDOW_MS,
  REVIEW_CLAIM_STALE_MS,
  REVIEW_RETRY_MS,
  type ReviewDigestPayload,
  type ReviewDigestOutcome,
} from './review-digest.js';
