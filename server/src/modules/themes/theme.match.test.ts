import { describe, expect, it } from 'vitest';
import { lookupKeys, themeKeys } from './theme.match.js';
import { labelledFeedback } from './theme.labelled-set.js';
import { analyzeText, extractKeyPhrases, maxTokensPerPhrase, phraseSimilarity } from './theme.phrases.js';

/**
 * The key lookup must find every theme phraseSimilarity would accept, or grouping silently
 * changes with the index. Checked over every phrase and theme size, overlap and threshold.
 */
describe('theme candidate keys', () => {
  it('find every theme a phrase scores at or above the threshold against', () => {
    let matches = 0;
    for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]) {
      for (let length = 1; length <= maxTokensPerPhrase; length++) {
        for (let size = 1; size <= maxTokensPerPhrase; size++) {
          for (let shared = 0; shared <= Math.min(length, size); shared++) {
            const phrase = Array.from({ length }, (_, index) => `t${index}`);
            const theme = [...phrase.slice(0, shared), ...Array.from({ length: size - shared }, (_, index) => `u${index}`)].sort();
            if (phraseSimilarity(phrase, theme) < threshold) continue;
            matches++;
            const stored = themeKeys(theme);
            const { pairs, singles, maxSize } = lookupKeys([...phrase].sort(), threshold);
            const found = stored.some(({ key, size: storedSize }) => pairs.includes(key) || (singles.includes(key) && storedSize <= maxSize && storedSize > 0));
            expect(found, `phrase ${length}, theme ${size}, shared ${shared}, threshold ${threshold}`).toBe(true);
          }
        }
      }
    }
    expect(matches).toBeGreaterThan(500);
  });

  it('skip large themes that share one common word', () => {
    // "my kettle is broken" must not read every theme that mentions "broken" at the default 0.6.
    expect(lookupKeys(['broken', 'kettl'], 0.6).maxSize).toBe(1);
    expect(lookupKeys(['broken', 'kettl', 'lid', 'loos'], 0.6)).toEqual({ pairs: expect.any(Array), singles: [], maxSize: 0 });
  });

  it('read key phrases alike with or without the sentiment pipeline', () => {
    const texts = [...Object.values(labelledFeedback).flat(), 'Kind people, but the checkout times out; I could not log in.', "The refund didn't arrive. Not helpful at all!"];
    for (const text of texts) expect(extractKeyPhrases(text), text).toEqual(analyzeText(text).phrases);
  });
});
