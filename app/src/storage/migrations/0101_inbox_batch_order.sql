-- The worker loads a portal's pending events oldest first (order by occurred_at, id);
-- without this index that sort scanned every pending row (≈130 ms at 80k pending).
create index webhook_inbox_pending_order on webhook_inbox (portal_id, occurred_at, id) where status = 'pending';
