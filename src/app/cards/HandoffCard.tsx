// Entry of the hand-off sidebar card (handoff-card-hsmeta.json). Only registers the
// workspace component: shared code lives in the @tossup/extensions workspace
// because relative imports out of src/app/cards fail at HubSpot's build.
import { hubspot } from '@hubspot/ui-extensions';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <HandoffCard context={context} actions={actions} />);
