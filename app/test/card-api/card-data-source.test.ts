/**
 * Titles of engagements as the timeline shows them: HubSpot stores note bodies as
 * HTML, and tossup's own tasks and notes end with an idempotency marker footer
 * (side-effect-marker.ts) that is for recovery searches, not for people.
 */
import { describe, expect, it } from 'vitest';
import { plainTitle } from '../../src/card-api/create-card-data-source';
import { sideEffectMarker, withMarker } from '../../src/hubspot/side-effect-marker';

describe('plainTitle', () => {
  it('takes the first non-empty line of an HTML note body', () => {
    expect(plainTitle('<div><p></p><p>架電メモ&nbsp;&amp;&nbsp;次回アポ</p><p>2行目</p></div>')).toBe('架電メモ & 次回アポ');
    expect(plainTitle('<p>first<br>second</p>')).toBe('first');
  });

  it('drops the side-effect marker footer, also when it is all there is', () => {
    const marker = sideEffectMarker('24681357', 'note:handoff:1039:c1');
    expect(plainTitle(withMarker('【トスアップ】営業担当へ引き渡しました', marker))).toBe('【トスアップ】営業担当へ引き渡しました');
    expect(plainTitle(withMarker('', marker))).toBe('');
  });

  it('answers an empty title for missing values', () => {
    expect(plainTitle(null)).toBe('');
    expect(plainTitle(undefined)).toBe('');
    expect(plainTitle('   ')).toBe('');
  });
});
