/**
 * Where a lead stands in tossup's own flow (`tossup_stage`, docs/product.md "The flow").
 * A missing or hand-edited value that is none of the stages reads as `new`, so a
 * contact nobody evaluated yet and one with a typo are treated alike.
 */
import type { Properties, TossupStage } from './types';

const STAGES: readonly TossupStage[] = ['new', 'mql', 'sql', 'accepted', 'rejected', 'recycled'];

export function tossupStageOf(props: Properties): TossupStage {
  const s = props.tossup_stage;
  return STAGES.includes(s as TossupStage) ? (s as TossupStage) : 'new';
}
