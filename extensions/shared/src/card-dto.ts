/**
 * Over 300 lines on purpose: the whole /api/v1 wire contract (mostly interfaces), in one file so each change is reviewed against both sides.
 *
 * The card API contract between the UI extensions (cards, settings page) and the
 * backend (`/api/v1`, app/src/card-api). One module so both sides agree on every
 * field; request bodies are zod schemas the backend parses with and the client
 * types from.
 *
 * Design notes
 * - Every answer is an envelope `{ ok: true, data } | { ok: false, error }`, with
 *   HTTP 200 for every refusal a person can meet: HubSpot's proxy wraps any app
 *   status ≥ 300 in its own envelope and how the card then sees it is unverified
 *   (docs/card-api-errors.md); a 200 always reaches it.
 * - Every error carries both languages (`message_ja`, `message_en`) so the card
 *   shows it in the viewer's locale without a second lookup.
 * - Every mutating body carries an `idempotencyKey`: hubspot.fetch retries once on
 *   5xx, and a retried toss-up must not create a second task.
 * - Times are epoch milliseconds; the card formats them in the portal's time zone.
 */
import { z } from 'zod';

export const API_VERSION_PATH = '/api/v1';

export const DEPARTMENTS = ['marketing', 'inside_sales', 'sales'] as const;
export type DepartmentCode = (typeof DEPARTMENTS)[number];

export const BANT_ITEMS = ['budget', 'authority', 'need', 'timeline'] as const;
export type BantItem = (typeof BANT_ITEMS)[number];

export type TossupStageCode = 'new' | 'mql' | 'sql' | 'accepted' | 'rejected' | 'recycled';
export type SlaStatusCode = 'pending' | 'met' | 'breached';

// ---------------------------------------------------------------------------
// Envelope and errors

export const API_ERROR_CODES = [
  'unauthorized', // signature missing or invalid (HTTP 401)
  'forbidden', // verified, but this user may not do this (HTTP 200: docs/card-api-errors.md)
  'not_found',
  'invalid_request', // body failed the zod schema (HTTP 400)
  'idempotency_key_reused', // same key, different request (HTTP 200)
  'in_progress', // the same request is still being processed (retry later)
  'gate_blocked', // toss-up refused: items missing
  'invalid_state', // e.g. accept when not handed off
  'invalid_settings',
  'settings_conflict', // expectedVersion is stale
  'timeout', // the backend could not answer within HubSpot's time budget
  'not_installed', // the portal's install is missing, uninstalled or disconnected (HTTP 200)
  'internal_error',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** A named, bilingual item that blocks an action (a missing gate item, an invalid field). */
export interface MissingItem {
  code: string;
  /** e.g. the settings field path, or { have: 1, need: 2 } for the BANT count. */
  params?: Record<string, string | number>;
  label_ja: string;
  label_en: string;
}

export interface ApiError {
  code: ApiErrorCode;
  message_ja: string;
  message_en: string;
  missing?: MissingItem[];
  /** invalid_request: the body fields at fault, each with its own message (a form shows it next to the input). */
  fields?: FieldError[];
}

export interface FieldError {
  /** Dotted path in the request body, e.g. `to`. */
  path: string;
  message_ja: string;
  message_en: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------------------
// Views

export interface PersonRef {
  ownerId: string;
  name: string;
}

export interface ViewerPermissions {
  /** IS-team members and super admins. */
  canEditBant: boolean;
  /** Same people as canEditBant; the gate decides whether the button is enabled. */
  canTossUp: boolean;
  /** Only the assigned sales rep (tossup_handoff_to, else the contact owner). */
  canRespond: boolean;
  /** Super admins. */
  canEditSettings: boolean;
}

export interface ViewerView {
  userId: string;
  ownerId: string | null;
  departments: DepartmentCode[];
  superAdmin: boolean;
}

export interface ScoreLine {
  rule: string;
  label_ja: string;
  label_en: string;
  /** How many times the rule scored (×4 for four email opens). */
  count: number;
  points: number;
}

export interface ScoreView {
  total: number;
  behavior: number;
  attribute: number;
  lines: ScoreLine[];
}

export interface MqlView {
  isMql: boolean;
  threshold: number;
  /** Points still missing to reach the threshold (0 when reached). */
  gap: number;
  /**
   * The parts of the portal's MQL rule that hold now (for a rule "A or B", each branch
   * that holds): what made the lead MQL. Empty while the rule does not hold.
   */
  firedBy: RuleLineView[];
}

/** One condition of a rule, named in both languages. */
export interface RuleLineView {
  label_ja: string;
  label_en: string;
}

/**
 * Which sidebar a viewer gets, decided by the backend from the viewer's owner record
 * and team → department (never guessed in the UI):
 * - `inside_sales`: an Inside Sales member (or a super admin outside every department)
 *   before the hand-off: score, BANT editor, gate and the toss-up button;
 * - `rep`: the Sales rep the lead was handed to: the compact hand-off summary, the SLA
 *   countdown and accept / reject;
 * - `viewer`: anyone else (managers, Marketing, other reps, IS after the hand-off):
 *   a read-only summary with no alert about permissions they were never expected to have.
 */
export type CardRole = 'inside_sales' | 'rep' | 'viewer';

/** The lead's reactions the article's MQL/SQL rules read (inquiry, IS first call, survey). */
export interface ReactionsView {
  inquirySubmitted: boolean;
  isFirstCallDone: boolean;
  surveyAnswered: boolean;
}

/** The first escalation after an SLA breach (tossup_escalated_at / tossup_escalated_to). */
export interface EscalationView {
  at: number;
  to: PersonRef | null;
}

export interface BantItemView {
  item: BantItem;
  checked: boolean;
  note: string;
}

export interface GateView {
  /** The SQL rule and the hand-off gate both hold. */
  passed: boolean;
  /** Every item that blocks the hand-off, named (docs/product.md §4). */
  missing: MissingItem[];
}

export interface SlaClockView {
  status: SlaStatusCode;
  dueAt: number | null;
  /** dueAt - now (negative when overdue); null when there is no deadline. */
  remainingMs: number | null;
  at?: number | null;
}

export interface SlaView {
  firstTouch: SlaClockView;
  statusUpdate: SlaClockView;
  /** Either clock breached. */
  breached: boolean;
}

export interface HandoffSummaryView {
  stage: TossupStageCode;
  at: number | null;
  by: PersonRef | null;
  to: PersonRef | null;
  reason: string;
  bant: BantItemView[];
  rejectReason: string | null;
}

export interface ContactHeaderView {
  id: string;
  name: string;
  stage: TossupStageCode;
  lifecycleStage: string | null;
}

/** GET /api/v1/contacts/:id/handoff — everything the sidebar card shows. */
export interface HandoffView {
  contact: ContactHeaderView;
  score: ScoreView;
  mql: MqlView;
  bant: BantItemView[];
  bantCount: number;
  reason: string;
  gate: GateView;
  /** The lead is already handed off (stage sql/accepted/…): no second toss-up. */
  handedOff: boolean;
  summary: HandoffSummaryView | null;
  sla: SlaView | null;
  permissions: ViewerPermissions;
  viewer: ViewerView;
  /** Which view of the sidebar this viewer gets. */
  role: CardRole;
  reactions: ReactionsView;
  /** Deadline of Inside Sales' follow-up task set at MQL (while the lead is MQL); null otherwise. */
  followUpDueAt: number | null;
  escalation: EscalationView | null;
  /** The portal's reject reasons, for the rep's reject form. */
  rejectReasons: RejectReasonView[];
  now: number;
}

export const TIMELINE_KINDS = [
  'email_open',
  'form_submission',
  'event',
  'call',
  'note',
  'meeting',
  'email',
  'task',
  'mql',
  'handoff',
  'accept',
  'reject',
  'recycle',
  'sla_met',
  'sla_breached',
  'escalation',
  'reminder',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type TimelineDepartment = DepartmentCode | 'system' | 'unknown';

export interface TimelineItemView {
  id: string;
  kind: TimelineKind;
  department: TimelineDepartment;
  actor: PersonRef | null;
  at: number;
  /** Subject, form title, event name, hand-off reason … (shortened to keep pages small). */
  title: string;
  /** Repeated marketing e-mail opens in a row are one item: how many, and the first of them (`at` is the latest). */
  count?: number;
  firstAt?: number;
  /** A task sits at its creation time (`at`); its due date is this field. */
  dueAt?: number | null;
  /** SLA rows: which SLA (first touch or status update). */
  sla?: 'first_touch' | 'status_update';
  /** On a deal's timeline: the contact the row is about. */
  contact?: { id: string; name: string };
}

/**
 * Which duplicate-outreach rule fired (app/src/domain/duplicate-outreach.ts):
 * - `against_flow`: a department earlier in the flow reached the lead after a later one;
 * - `after_handoff`: Marketing or IS reached the lead after it was handed to Sales;
 * - `other_rep`: a Sales person other than the assigned rep reached it after the hand-off;
 * - `same_department`: two people of one department.
 */
export type OverlapRule = 'against_flow' | 'after_handoff' | 'other_rep' | 'same_department';

export interface OverlapWarning {
  departments: [DepartmentCode, DepartmentCode];
  rule: OverlapRule;
  firstAt: number;
  secondAt: number;
  windowHours: number;
}

/** GET /api/v1/{contacts|deals}/:id/timeline — the tab card. */
export interface TimelineView {
  items: TimelineItemView[];
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  department: TimelineDepartment | 'all';
  overlaps: OverlapWarning[];
  /** The contact the summary, SLA and accept/reject are about (for a deal: its handed-off contact). */
  contactId: string | null;
  summary: HandoffSummaryView | null;
  sla: SlaView | null;
  escalation: EscalationView | null;
  permissions: ViewerPermissions;
  viewer: ViewerView;
  /** The portal's reject reasons, for the reject form. */
  rejectReasons: RejectReasonView[];
  now: number;
  /**
   * Engagement types that could not be read (a scope the portal did not grant, or
   * an error): the items shown are the rest, e.g. 'Eメール: 取得できません（権限なし）'.
   */
  unavailable?: UnavailableSourceView[];
}

export interface UnavailableSourceView {
  source: string;
  label_ja: string;
  label_en: string;
}

export interface RejectReasonView {
  code: string;
  label_ja: string;
  label_en: string;
}

export interface MutationView {
  /** The state after the write, so the card re-renders without a second request. */
  handoff: HandoffView;
}

// ---------------------------------------------------------------------------
// Request bodies

/** 16–128 characters: long enough to be unique per click, short enough for an index. */
export const idempotencyKeySchema = z
  .string({ error: 'idempotencyKey is required for every change (HubSpot retries once on errors)' })
  .regex(/^[A-Za-z0-9_.:-]{16,128}$/, { error: 'idempotencyKey must be 16–128 characters of A–Z a–z 0–9 _ . : -' });

const note = z.string().max(500, { error: 'a BANT note is at most 500 characters' });

export const bantUpdateBodySchema = z.strictObject({
  idempotencyKey: idempotencyKeySchema,
  bant: z.strictObject({ budget: z.boolean(), authority: z.boolean(), need: z.boolean(), timeline: z.boolean() }),
  notes: z.strictObject({ budget: note, authority: note, need: note, timeline: note }),
  reason: z.string().max(2000, { error: 'the hand-off reason is at most 2000 characters' }),
});
export type BantUpdateBody = z.infer<typeof bantUpdateBodySchema>;

export const tossUpBodySchema = z.strictObject({ idempotencyKey: idempotencyKeySchema });
export type TossUpBody = z.infer<typeof tossUpBodySchema>;

export const acceptBodySchema = z.strictObject({ idempotencyKey: idempotencyKeySchema });
export type AcceptBody = z.infer<typeof acceptBodySchema>;

export const rejectBodySchema = z.strictObject({
  idempotencyKey: idempotencyKeySchema,
  /** One of the portal's reject reasons (settings `recycle.reasons`); where the lead goes is the portal's setting. */
  reasonCode: z.string().regex(/^[a-z0-9_]{1,40}$/, { error: 'reasonCode must be one of the configured reject reason codes' }),
  /** What the rep adds in their own words. */
  reason: z.string().max(2000, { error: 'the reject reason is at most 2000 characters' }).default(''),
});
export type RejectBody = z.input<typeof rejectBodySchema>;

export const settingsSaveBodySchema = z.strictObject({
  idempotencyKey: idempotencyKeySchema,
  /** Parsed by the shared settings schema (settings-schema.ts), not here. */
  settings: z.unknown(),
  /** Optimistic concurrency: the version the admin edited; a newer saved version wins. */
  expectedVersion: z.number().int().nonnegative().optional(),
});
export type SettingsSaveBody = z.infer<typeof settingsSaveBodySchema>;

export const settingsPreviewBodySchema = z.strictObject({ settings: z.unknown() });
export type SettingsPreviewBody = z.infer<typeof settingsPreviewBodySchema>;

export const timelineQuerySchema = z.object({
  department: z.enum(['all', ...DEPARTMENTS, 'system', 'unknown']).default('all'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(5).max(50).default(20),
});
export type TimelineQuery = z.input<typeof timelineQuerySchema>;

// ---------------------------------------------------------------------------
// Settings

export interface SettingsWarning {
  code: 'no_escalation_owner' | string;
  message_ja: string;
  message_en: string;
}

export interface TeamRef {
  id: string;
  name: string;
}

/** GET /api/v1/settings. `S` is PortalSettings (settings-schema.ts). */
export interface SettingsView<S = unknown> {
  settings: S;
  version: number;
  updatedAt: number | null;
  warnings: SettingsWarning[];
  teams: TeamRef[];
  owners: PersonRef[];
  canEdit: boolean;
  /**
   * HubSpot scopes the portal recently refused (403 MISSING_SCOPES): the sources
   * that need them are skipped, and `warnings` names each (code `missing_scope:<scope>`).
   */
  missingScopes?: string[];
}

export interface StageTransitionCount {
  from: TossupStageCode;
  to: TossupStageCode;
  count: number;
}

/** POST /api/v1/settings/preview: the effect of edited rules on current contacts. */
export interface SettingsPreviewView {
  evaluated: number;
  changed: number;
  /** Only part of the portal's contacts was evaluated (the answer must stay within HubSpot's time budget). */
  truncated: boolean;
  transitions: StageTransitionCount[];
  warnings: SettingsWarning[];
  /** Which contacts were evaluated: the most recently modified first, `size` of the portal's `total` (issue 16). */
  sample?: { size: number; total: number };
  /** What the edit would do that the current rules would not, on the sample (issue 16). */
  impact?: {
    handoffs: number;
    handoffTasksByRep: { ownerId: string; name: string; count: number }[];
    mqlTasks: number;
    stageMoves: number;
  };
}

// ---------------------------------------------------------------------------
// The full-portal impact run (issue 16): the preview's counting over every contact, in the background.

/**
 * POST /api/v1/settings/impact-runs: start the run for the page's draft. A portal has
 * at most one run going; starting again answers with that run (`created: false`).
 */
export const settingsImpactRunBodySchema = z.strictObject({
  idempotencyKey: idempotencyKeySchema,
  /** Parsed by the shared settings schema (settings-schema.ts), not here. */
  settings: z.unknown(),
  /** The page's fingerprint of its draft (settingsFingerprint), so the page can tell when the result no longer matches what it shows. */
  draftFingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, { error: 'draftFingerprint must be the hex fingerprint of the draft (8–64 characters 0–9 a–f)' }).optional(),
});
export type SettingsImpactRunBody = z.infer<typeof settingsImpactRunBodySchema>;

export type ImpactRunStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** One run, as every web process reads it from the jobs table. */
export interface SettingsImpactRunView {
  id: string;
  status: ImpactRunStatus;
  /** `listing`: the portal's contacts are being listed (CRM search); `evaluating`: pages of 100 are evaluated. */
  phase: 'queued' | 'listing' | 'evaluating' | 'finished';
  /** The draft the run evaluates (its fingerprint) against the published version it started from. */
  draftFingerprint: string;
  /** The live version's number when the run started (null: no settings history yet). */
  publishedVersion: number | null;
  /** The published settings' concurrency token (SettingsView.version) when the run started: a later publish makes the result stale. */
  publishedToken: number;
  requestedBy: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Contacts to go through (`null` until listed), gone through so far (the bar's "n / total"), and evaluated (read back; deleted ones are not); `limit` caps a run. */
  total: number | null;
  read: number;
  evaluated: number;
  pagesDone: number;
  limit: number;
  /** The portal has more contacts than `limit`: the first `limit` by record id were evaluated. */
  truncated: boolean;
  changed: number;
  transitions: StageTransitionCount[];
  impact: NonNullable<SettingsPreviewView['impact']>;
  /** Why the run failed, in both languages. */
  error: { ja: string; en: string } | null;
  canCancel: boolean;
}

/** POST/DELETE answers and GET …/latest (`run: null`: the portal never ran one). */
export interface SettingsImpactRunAnswer {
  run: SettingsImpactRunView | null;
  /** POST only: false when the portal's run in progress was returned instead of a new one. */
  created?: boolean;
}

// ---------------------------------------------------------------------------
// Settings versions (issue 16): drafts, publishing, history, restore, import diff.

/** PUT /api/v1/settings/draft: save the edited settings as a new draft version (nothing goes live). */
export const settingsDraftBodySchema = z.strictObject({
  idempotencyKey: idempotencyKeySchema,
  /** Parsed by the shared settings schema (settings-schema.ts), not here. */
  settings: z.unknown(),
});
export type SettingsDraftBody = z.infer<typeof settingsDraftBodySchema>;

/** POST /api/v1/settings/versions/:versionNo/publish and …/restore. */
export const settingsVersionActionBodySchema = z.strictObject({ idempotencyKey: idempotencyKeySchema });
export type SettingsVersionActionBody = z.infer<typeof settingsVersionActionBodySchema>;

/** POST /api/v1/settings/diff: what importing (or saving) this document would change against the published settings. */
export const settingsDiffBodySchema = z.strictObject({ settings: z.unknown() });
export type SettingsDiffBody = z.infer<typeof settingsDiffBodySchema>;

export interface SettingsChangeLine {
  ja: string;
  en: string;
}

export interface SettingsVersionView {
  versionNo: number;
  createdAt: number;
  /** HubSpot user id of who saved it, and their name when they are an owner of the portal. */
  createdBy: string | null;
  createdByName: string | null;
  summary: SettingsChangeLine[];
  restoredFrom: number | null;
  publishedAt: number | null;
  /** The version the pipeline evaluates with now. */
  live: boolean;
  /** A draft saved after the live version: the one the page offers to test and publish. */
  pendingDraft: boolean;
}

/** GET /api/v1/settings/versions: newest first. */
export interface SettingsVersionsView {
  versions: SettingsVersionView[];
  liveVersionNo: number | null;
  canEdit: boolean;
}

/** GET /api/v1/settings/versions/:versionNo: one version with its document (export, or loading a draft into the editor). */
export interface SettingsVersionDocumentView<S = unknown> {
  version: SettingsVersionView;
  settings: S;
}

/** POST /api/v1/settings/diff. */
export interface SettingsDiffView {
  changes: SettingsChangeLine[];
  /** How many fields differ (0: importing changes nothing). */
  changed: number;
}

/** GET /api/v1/settings/forms: the portal's forms for the per-form categories. */
export interface SettingsFormsView {
  /**
   * `hubspot`: the Forms API's list (the `forms` scope is granted); `seen`: the titles of the
   * submissions the app has recorded, because the Forms API could not be read (see `reason`).
   */
  source: 'hubspot' | 'seen';
  /** `missing_scope` (the portal did not grant `forms`) or `error` (HubSpot failed); only with source `seen`. */
  reason?: 'missing_scope' | 'error';
  forms: { title: string; id?: string; submissions: number }[];
}

/** POST /api/v1/settings/test-contact: the engine's decision for one contact, read-only. */
export const settingsTestContactBodySchema = z
  .strictObject({
    contactId: z.string().regex(/^\d{1,20}$/, { error: 'contactId must be the numeric HubSpot record id of a contact' }).optional(),
    /** The contact's primary e-mail, found through CRM search (read-only); instead of contactId. */
    email: z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, { error: 'email must be an e-mail address such as taro@example.co.jp' }).optional(),
    /** The draft to test next to the published settings (parsed by the shared settings schema); absent: published only. */
    settings: z.unknown().optional(),
  })
  .refine((b) => (b.contactId === undefined) !== (b.email === undefined), {
    error: 'send exactly one of contactId (the record id) or email (the contact’s primary e-mail)',
    path: ['contactId'],
  });
export type SettingsTestContactBody = z.infer<typeof settingsTestContactBodySchema>;

/** One node of a rule on one contact; a condition carries the value the contact has. */
export type RuleTraceView =
  | { kind: 'and' | 'or'; holds: boolean; of: RuleTraceView[] }
  | { kind: 'not'; holds: boolean; of: RuleTraceView }
  | { kind: 'flag' | 'compare'; holds: boolean; condition: SettingsChangeLine; value: boolean | number };

export interface ContactTestView {
  score: { total: number; behavior: number; attribute: number; lines: { label: SettingsChangeLine; part: 'behavior' | 'attribute'; points: number }[] };
  mql: RuleTraceView;
  sql: RuleTraceView;
  gate: { passed: boolean; blocking: SettingsChangeLine[] };
  routing: { ownerId: string | null; steps: SettingsChangeLine[] };
  sla: { firstTouchDueAt: number; statusUpdateDueAt: number };
  stageAfter: TossupStageCode;
}

export interface SettingsTestContactView {
  contactId: string;
  /** The e-mail the contact was found by, when the test was asked by e-mail. */
  email?: string;
  published: ContactTestView;
  /** null when no draft was sent. */
  draft: ContactTestView | null;
}
