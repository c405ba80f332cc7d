import { expect, it } from 'vitest';
import { deleteWrittenValuesOfObject, loadWrittenValues, recordWrittenValues } from '../../src/storage/written-values-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('written values store (pipeline_written_values)', (t) => {
  it('keeps the last value written per object and property', async () => {
    await recordWrittenValues(t.db, '1', [{ id: '11', properties: { tossup_stage: 'mql', tossup_score: '40' } }], 10);
    await recordWrittenValues(t.db, '1', [{ id: '11', properties: { tossup_stage: 'handed_off' } }, { id: '12', properties: { tossup_stage: 'new' } }], 20);
    await recordWrittenValues(t.db, '2', [{ id: '11', properties: { tossup_stage: 'other-portal' } }], 20);
    expect(await loadWrittenValues(t.db, '1', ['11', '11', '13'])).toEqual(new Map([
      ['11:tossup_stage', 'handed_off'],
      ['11:tossup_score', '40'],
    ]));
    expect(await loadWrittenValues(t.db, '1', [])).toEqual(new Map());
  });

  it('writes more rows than one statement holds', async () => {
    const updates = Array.from({ length: 1_201 }, (_, i) => ({ id: String(1_000 + i), properties: { p: `v${i}` } }));
    await recordWrittenValues(t.db, '3', updates, 1);
    expect((await loadWrittenValues(t.db, '3', updates.map((u) => u.id))).size).toBe(1_201);
  });

  it('privacy deletion forgets an object\'s values', async () => {
    await recordWrittenValues(t.db, '4', [{ id: '41', properties: { a: '1' } }, { id: '42', properties: { a: '2' } }], 1);
    await deleteWrittenValuesOfObject(t.db, '4', '41');
    expect(await loadWrittenValues(t.db, '4', ['41', '42'])).toEqual(new Map([['42:a', '2']]));
  });
});
