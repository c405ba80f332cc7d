/**
 * The card API's 「不在設定」 (issue 17): a rep's out-of-office days, set by the rep for
 * themself from the card or by a super admin for anyone. Dates are local dates in the
 * portal's business calendar (YYYY-MM-DD), inclusive. Browser-safe: zod only.
 */
import { z } from 'zod';
import { idempotencyKeySchema } from './card-dto';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'dates are YYYY-MM-DD' });

export const outOfOfficeBodySchema = z
  .strictObject({
    idempotencyKey: idempotencyKeySchema,
    /** Whose days; absent = the signed user's own owner. Only super admins may name someone else. */
    ownerId: z.string().regex(/^\d+$/, { error: 'ownerId is a HubSpot owner id' }).optional(),
    from: isoDate,
    to: isoDate,
    note: z.string().max(200, { error: 'the note is at most 200 characters' }).optional(),
  })
  .refine((b) => b.from <= b.to, { error: 'to must be on or after from', path: ['to'] });
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
