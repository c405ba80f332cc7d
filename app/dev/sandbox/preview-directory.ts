import type { LiveObjectType, LivePortalDirectory } from '../preview/live-page';
import type { Sandbox } from './create-sandbox';

/**
 * What the live preview lists in sandbox mode (live-page.ts), read straight from the
 * sandbox portal in the same process: its users for the picker, and the
 * associations between contacts, companies and deals for the links.
 */
export function createSandboxPreviewDirectory(sandbox: Sandbox): LivePortalDirectory {
  const portal = () => sandbox.portal();
  const label = (type: LiveObjectType, id: string) => {
    const p = portal().objects[type][id]?.properties ?? {};
    if (type === 'contacts') return `${p.lastname ?? ''} ${p.firstname ?? ''}`.trim() || p.email || id;
    if (type === 'companies') return p.name ?? id;
    return p.dealname ?? id;
  };
  return {
    users: () => {
      const teams = new Map(portal().teams.map((t) => [t.id, t.name]));
      return portal()
        .owners.filter((o) => !o.archived)
        .map((o) => ({ userId: o.userId, name: `${o.lastName} ${o.firstName}`, team: teams.get(o.teamIds[0] ?? '') ?? '' }));
    },
    label,
    linksOf: (type, id) =>
      Object.entries(portal().associations[`${type}:${id}`] ?? {})
        .filter(([, l]) => l.length > 0)
        .map(([k]) => {
          const [to, toId] = k.split(':') as [string, string];
          return { type: to as LiveObjectType, id: toId };
        })
        .filter((l) => (l.type === 'contacts' || l.type === 'companies' || l.type === 'deals') && !portal().objects[l.type][l.id]?.archived)
        .map((l) => ({ ...l, label: label(l.type, l.id) })),
    contacts: () =>
      Object.values(portal().objects.contacts)
        .filter((c) => !c.archived)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, 30)
        .map((c) => ({ id: c.id, label: `${label('contacts', c.id)} — ${c.properties.tossup_stage ?? c.properties.lifecyclestage ?? ''}` })),
  };
}
