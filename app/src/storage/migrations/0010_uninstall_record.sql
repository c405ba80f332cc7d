-- Security (issue 12): who uninstalled a portal and when. Uninstall is allowed only
-- to a super admin of the portal (app/src/oauth/oauth-router.ts); the install row
-- stays as the audit trail after tokens and settings are purged.
alter table installs add column uninstalled_by bigint;
alter table installs add column uninstalled_at bigint;
