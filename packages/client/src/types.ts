/**
 * The client's types, taken from the same zod schemas the server validates
 * with (type-only imports: nothing of the server is bundled). Request bodies
 * use the schemas' input types, responses their output types.
 */
import type * as z from 'zod/mini';
import type * as core from '@drumbeat/core';
import type * as audit from '@drumbeat/core/audit';

/** What a body may hold when sent: the schema's input (defaults optional). */
type In<T extends z.core.$ZodType> = z.input<T>;
/** Query parameters: every field optional. */
type QueryOf<T extends z.core.$ZodType> = Partial<z.output<T>>;

export type Workspace = core.Workspace;
export type WorkspaceCreate = In<typeof core.WorkspaceCreate>;
export type ApiKey = core.ApiKey;
export type ApiKeyCreated = z.output<typeof core.ApiKeyCreated>;
export type KeyCreate = In<typeof core.KeyCreate>;
export type Role = core.Role;
export type Voice = core.Voice;
export type VoiceCreate = In<typeof core.VoiceCreate>;
export type VoicePatch = In<typeof core.VoicePatch> & { archived?: boolean };
export type Account = core.Account;
export type AccountCreate = In<typeof core.AccountCreate>;
export type AccountPatch = In<typeof core.AccountPatch>;
export type AccountStats = core.AccountStats;
export type Post = core.Post;
export type PostStatus = core.PostStatus;
export type PostCreate = In<typeof core.PostCreate>;
export type PostPatch = In<typeof core.PostPatch>;
export type PostListQuery = QueryOf<typeof core.PostListQuery>;
export type Calendar = core.Calendar;
export type CalendarQuery = QueryOf<typeof core.CalendarQuery>;
export type LedgerEntry = z.output<typeof core.LedgerEntrySchema>;
export type Verification = z.output<typeof core.Verification>;
export type LedgerExport = z.output<typeof core.LedgerExport>;
export type Checkpoint = z.output<typeof core.CheckpointSchema>;
export type Transparency = core.Transparency;
export type Webhook = core.Webhook;
export type WebhookCreate = In<typeof core.WebhookCreate>;
export type WebhookCreated = core.WebhookCreated;
export type Delivery = core.Delivery;
export type Alert = core.Alert;
export type AlertListQuery = QueryOf<typeof core.AlertListQuery>;
export type EventType = core.EventType;
export type Conversation = core.Conversation;
export type InboundItem = In<typeof core.InboundItemIn>;
export type ConversationIngestResult = z.output<typeof core.ConversationIngestResult>;
export type ConversationListQuery = QueryOf<typeof core.ConversationListQuery>;
export type ConversationReport = z.output<typeof core.ConversationReport>;
export type ConversationReportQuery = QueryOf<typeof core.ConversationReportQuery>;
export type ConversationAssign = In<typeof core.ConversationAssign>;
export type ConversationReply = In<typeof core.ConversationReply>;
export type FieldError = core.FieldError;
/** What an audit of a ledger export found wrong, naming the entry. */
export type AuditFinding = audit.AuditFinding;
/** The result of checking a ledger export against checkpoints held elsewhere. */
export type AuditReport = audit.AuditReport;
/** A ledger entry as the audit reads it. */
export type AuditLedgerEntry = audit.LedgerEntry;

/** `?limit&cursor` of every list. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** The envelope of every list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * An approval or rejection (POST /v1/posts/{id}/approve, /reject). A personal
 * key decides as its own voice (omit `voiceId`); a workspace key names it,
 * where the account allows decisions on someone's behalf.
 */
export interface Decision {
  voiceId?: string;
  note?: string;
}

/** A review link for one approver (POST /v1/posts/{id}/review-links): a credential for that person only. */
export interface ReviewLink {
  url: string;
  expiresAt: string;
}

/** A manual-channel post marked published by a person. */
export interface ManualPublished {
  url?: string;
  publishedAt?: string;
}

/** The result of a CSV import: counts, the posts created or updated (row order), and the rows that changed nothing. */
export type ImportResult = z.output<typeof core.ImportResult>;

/** How to send a CSV import. */
export interface ImportOptions {
  /** Plan a post at a slot instant another live post already fills. */
  shareSlots?: boolean;
  /** Ask for a job (202) whatever the file's size, where the server runs imports as jobs (AWS). */
  respondAsync?: boolean;
  idempotencyKey?: string;
}

/**
 * An import the server runs outside the request (on AWS: files over 100 rows,
 * or any sent with `respondAsync`): `result` once succeeded; `problem` once
 * failed, nothing imported (a refused row, or a run interrupted and undone).
 */
export interface ImportJob {
  id: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  createdAt: string;
  updatedAt: string;
  result?: ImportResult;
  problem?: { type: string; title: string; status: number; detail?: string; errors?: FieldError[] };
}

/** What `POST /v1/import` answers: the result (201), or the accepted job (202, with a Location to poll). */
export type ImportAnswer = ImportResult | ImportJob;

/** How `imports.wait` polls. */
export interface ImportWaitOptions {
  /** Between two reads of the job (default 2,000 ms, the server's Retry-After). */
  intervalMs?: number;
  /** Gives up after waiting this long in all (default 20 minutes: longer than a job can run). */
  timeoutMs?: number;
}

/** A short-lived signed link into the calendar pages. */
export interface AppLink {
  url: string;
  expiresAt: string;
}

/** A drumbeat event as webhooks deliver it; `post.publish` is the webhook channel's own call. */
export interface DrumbeatEvent {
  type: EventType | 'post.publish';
  timestamp: string;
  data: Record<string, unknown>;
}
