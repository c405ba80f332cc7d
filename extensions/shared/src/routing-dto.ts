/**
 * The card API's 「不在設定」 (issue 17): a rep's out-of-office days, set by the rep for
 * themself from the card or by a super admin for anyone. Dates are local dates in the
 * portal's business calendar (YYYY-MM-DD), inclusive. Browser-safe: zod only.
 */
import { z } from 'zod';
import { idempotencyKeySchema } from './card-dto';
import type { RequestMessageKey } from './request-messages';

/** A calendar date: `2026-02-30` has the right shape but no day. */
const realDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};
// Messages are keys of REQUEST_MESSAGES: the card API answers them in both languages with the field named.
const isoDate = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'date_iso') satisfies RequestMessageKey })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'date_iso' satisfies RequestMessageKey, abort: true })
  .refine(realDate, { error: 'date_real' satisfies RequestMessageKey });

export const outOfOfficeBodySchema = z
  .strictObject({
    idempotencyKey: idempotencyKeySchema,
    /** Whose days; absent = the signed user's own owner. Only super admins may name someone else. */
    ownerId: z.string().regex(/^\d+$/, { error: 'owner_id' satisfies RequestMessageKey }).optional(),
    from: isoDate,
    to: isoDate,
    note: z.string().max(200, { error: 'note_too_long' satisfies RequestMessageKey }).optional(),
  })
  // Compared only when both are dates: a bad date is already named on its own field.
  .refine((b) => !realDate(b.from) || !realDate(b.to) || b.from <= b.to, { error: 'date_order' satisfies RequestMessageKey, path: ['to'] });
export type OutOfOfficeBody = z.infer<typeof outOfOfficeBodySchema>;

export const outOfOfficeDeleteBodySchema = z.strictObject({ idempotencyKey: idempotencyKeySchema });

export interface OutOfOfficeView {
  id: string;
  ownerId: string;
  ownerName: string;
  from: string;
  to: string;
  note: string | null;
}

export interface OutOfOfficeListView {
  ranges: OutOfOfficeView[];
  /** May the viewer set days for other reps (super admin)? */
  canEditOthers: boolean;
  /** The viewer's own owner id (null: the user has no owner record, so no days of their own). */
  ownerId: string | null;
}

export type LadderStepCode = 'reminder' | 'breach' | 'escalation' | 'reassign';

export interface LadderStepView {
  step: LadderStepCode;
  /** done: it happened (at); pending: may still come; off: not configured; skipped: due but not possible (nobody else available). */
  state: 'done' | 'pending' | 'off' | 'skipped';
  at: number | null;
  /** Who received it (the reminder's rep, the escalation owner, the new rep). */
  to: string | null;
}

/** GET /api/v1/contacts/:id/routing — the routing path and the escalation ladder of the current hand-off (tab card). */
export interface RoutingPanelView {
  /** The last routing decision in words (the hand-off's, or the reassign's); null before any hand-off. */
  path: { ja: string; en: string } | null;
  pathAt: number | null;
  /** Set when nobody in the target was available or the owner was kept despite being unavailable. */
  warning: { ja: string; en: string } | null;
  ladder: LadderStepView[];
}
