/**
 * Pure edits of a rule tree for the rule builder (RuleBuilder.tsx). A node is found
 * by its path of child indices from the root (a NOT's only child is index 0); every
 * edit returns a new tree, and the shared schema validates the result.
 */
import { BOOLEAN_FACTS, type BooleanFact, type NumericFact } from '@tossup/shared/rule-labels';
import type { RuleExpr } from '@tossup/shared/settings-schema';

export type NodePath = readonly number[];

export const newCondition = (): RuleExpr => ({ type: 'flag', fact: 'inquiry_submitted' });

function childrenOf(node: RuleExpr): RuleExpr[] {
  if (node.type === 'and' || node.type === 'or') return node.of;
  if (node.type === 'not') return [node.of];
  return [];
}

export function nodeAt(rule: RuleExpr, path: NodePath): RuleExpr {
  return path.reduce<RuleExpr>((node, i) => childrenOf(node)[i] ?? node, rule);
}

export function replaceAt(rule: RuleExpr, path: NodePath, next: RuleExpr): RuleExpr {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [number, ...number[]];
  if (rule.type === 'not') return { type: 'not', of: replaceAt(rule.of, rest, next) };
  if (rule.type === 'and' || rule.type === 'or') return { type: rule.type, of: rule.of.map((c, i) => (i === head ? replaceAt(c, rest, next) : c)) };
  return rule;
}

/** Removes the node from its group; the only child of a NOT takes the NOT with it. The root cannot be removed. */
export function removeAt(rule: RuleExpr, path: NodePath): RuleExpr {
  if (path.length === 0) return rule;
  const parentPath = path.slice(0, -1);
  const parent = nodeAt(rule, parentPath);
  if (parent.type === 'not') return removeAt(rule, parentPath);
  if (parent.type !== 'and' && parent.type !== 'or') return rule;
  const index = path[path.length - 1]!;
  return replaceAt(rule, parentPath, { type: parent.type, of: parent.of.filter((_, i) => i !== index) });
}

/** Adds a condition (or a group of one condition) at the end of a group. */
export function addTo(rule: RuleExpr, groupPath: NodePath, what: 'condition' | 'group'): RuleExpr {
  const group = nodeAt(rule, groupPath);
  if (group.type !== 'and' && group.type !== 'or') return rule;
  const child: RuleExpr = what === 'condition' ? newCondition() : { type: group.type === 'and' ? 'or' : 'and', of: [newCondition()] };
  return replaceAt(rule, groupPath, { type: group.type, of: [...group.of, child] });
}

/** Wraps the node in NOT, or unwraps a NOT. */
export function toggleNot(rule: RuleExpr, path: NodePath): RuleExpr {
  const node = nodeAt(rule, path);
  return replaceAt(rule, path, node.type === 'not' ? node.of : { type: 'not', of: node });
}

export function setGroupKind(rule: RuleExpr, path: NodePath, kind: 'and' | 'or'): RuleExpr {
  const node = nodeAt(rule, path);
  return node.type === 'and' || node.type === 'or' ? replaceAt(rule, path, { type: kind, of: node.of }) : rule;
}

const isBooleanFact = (fact: string): fact is BooleanFact => (BOOLEAN_FACTS as readonly string[]).includes(fact);

/** A condition on another fact: a true/false fact becomes a flag, a number a comparison (keeping its operator and value). */
export function setFact(rule: RuleExpr, path: NodePath, fact: BooleanFact | NumericFact): RuleExpr {
  const node = nodeAt(rule, path);
  if (isBooleanFact(fact)) return replaceAt(rule, path, { type: 'flag', fact });
  const kept = node.type === 'compare' ? { op: node.op, value: node.value } : { op: 'gte' as const, value: 0 };
  return replaceAt(rule, path, { type: 'compare', fact, ...kept });
}

export function setComparison(rule: RuleExpr, path: NodePath, change: Partial<{ op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq'; value: number }>): RuleExpr {
  const node = nodeAt(rule, path);
  return node.type === 'compare' ? replaceAt(rule, path, { ...node, ...change }) : rule;
}

/** The settings-schema path of a node, for its validation message: rules.mql.of.0.of.1 … */
export function schemaPath(root: string, rule: RuleExpr, path: NodePath): string {
  let node = rule;
  let out = root;
  for (const i of path) {
    out += node.type === 'not' ? '.of' : `.of.${i}`;
    node = childrenOf(node)[i] ?? node;
  }
  return out;
}
