-- The hand-off gate as a rule (issue 16): settings saved before it was a rule carry
-- gate = { minBantItems, requireLastContacted, requireReason }; this rewrites them to
-- gate = { rule: … }, the same rule parseSettings builds on read (legacyGateRule in
-- extensions/shared/src/portal-settings-schema.ts): every requirement AND-ed in the
-- order the card lists them; a gate that required nothing becomes "BANT確認数 ≥ n".
-- A document whose legacy values have the wrong type is left as it is: parseSettings
-- then names the bad field and the admin saves it again. Missing fields take the old
-- defaults (2, true, true). The read path accepts both shapes, so this is a tidy-up,
-- not a precondition.
create function tossup_legacy_gate_rule(gate jsonb) returns jsonb language sql immutable as $$
  select jsonb_build_object('type', 'and', 'of', coalesce(jsonb_agg(c.node order by c.n), '[]'::jsonb))
  from (
    select 1 as n, jsonb_build_object('type', 'compare', 'fact', 'bant_count', 'op', 'gte', 'value', coalesce(gate->'minBantItems', '2'::jsonb)) as node
    where coalesce((gate->>'minBantItems')::numeric, 2) > 0
       or (coalesce((gate->>'requireLastContacted')::boolean, true) = false and coalesce((gate->>'requireReason')::boolean, true) = false)
    union all
    select 2, '{"type": "flag", "fact": "last_contacted_recorded"}'::jsonb where coalesce((gate->>'requireLastContacted')::boolean, true)
    union all
    select 3, '{"type": "flag", "fact": "handoff_reason_present"}'::jsonb where coalesce((gate->>'requireReason')::boolean, true)
  ) c
$$;

create function tossup_is_legacy_gate(gate jsonb) returns boolean language sql immutable as $$
  select jsonb_typeof(gate) = 'object'
     and not (gate ? 'rule')
     and coalesce(jsonb_typeof(gate->'minBantItems'), 'number') = 'number'
     and coalesce(jsonb_typeof(gate->'requireLastContacted'), 'boolean') = 'boolean'
     and coalesce(jsonb_typeof(gate->'requireReason'), 'boolean') = 'boolean'
$$;

update portal_settings
   set settings = jsonb_set(settings, '{gate}', jsonb_build_object('rule', tossup_legacy_gate_rule(settings->'gate')))
 where tossup_is_legacy_gate(settings->'gate');

update settings_versions
   set settings = jsonb_set(settings, '{gate}', jsonb_build_object('rule', tossup_legacy_gate_rule(settings->'gate')))
 where tossup_is_legacy_gate(settings->'gate');

drop function tossup_is_legacy_gate(jsonb);

drop function tossup_legacy_gate_rule(jsonb);
