import type { Approval } from './schemas/account.js';
import { assistantDrafted, type PostSource } from './schemas/post.js';

/**
 * Whether a post needs approval under the account's policy: every post when
 * `required` (the default `requiredFor: "all"`), or with `requiredFor: "mcp"`
 * only the posts drafted with an assistant (created or last edited through MCP).
 */
export function approvalNeeded(
  approval: Approval | undefined,
  post: { source?: PostSource | undefined; editSource?: PostSource | undefined },
): boolean {
  if (!approval?.required) return false;
  return approval.requiredFor === 'mcp' ? assistantDrafted(post) : true;
}

/** A source in words, for pages and CSV: "api", "mcp (claude-desktop 1.2.0)". */
export function sourceLabel(s: PostSource | undefined): string {
  if (!s) return '';
  return s.client ? `${s.kind} (${s.client})` : s.kind;
}
