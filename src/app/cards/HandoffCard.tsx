// Entry of the hand-off sidebar card (handoff-card-hsmeta.json). Only registers the
// component from the @tossup/ui workspace package: hs project upload sends only srcDir
// plus the workspaces src/package.json declares, so a relative import out of src/ would
// not be uploaded (checked by npm run check:hubspot).
import { hubspot } from '@hubspot/ui-extensions';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <HandoffCard context={context} actions={actions} />);
