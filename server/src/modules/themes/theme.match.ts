import { maxTokensPerPhrase, phraseSimilarity } from './theme.phrases.js';

/**
 * Which theme a phrase joins, and how candidates are found without reading every theme that shares
 * a common word. phraseSimilarity gives one shared token a score high enough only against short
 * token sets, so a theme can match a phrase only if they share a pair of tokens, or share one
 * token and the theme has at most `singleTokenReach` tokens. Themes are indexed by exactly these
 * keys (theme_keys in the database, a map in the regrouping).
 */

/** Largest theme a phrase of `length` tokens can join through a single shared token at this threshold. */
export function singleTokenReach(length: number, threshold: number): number {
  const key = `${length} ${threshold}`;
  let reach = reaches.get(key);
  if (reach === undefined) {
    reach = measureReach(length, threshold);
    reaches.set(key, reach);
  }
  return reach;
}

/** Few lengths (≤ 8) times the thresholds in use: asked for every phrase, worked out once. */
const reaches = new Map<string, number>();

function measureReach(length: number, threshold: number): number {
  // Asked of phraseSimilarity itself, so the index can never disagree with the score it serves.
  const phrase = Array.from({ length }, (_, index) => `a${index}`);
  let reach = 0;
  for (let size = 1; size <= maxTokensPerPhrase; size++) {
    const theme = ['a0', ...Array.from({ length: size - 1 }, (_, index) => `b${index}`)];
    if (phraseSimilarity(phrase, theme) >= threshold) reach = size;
  }
  return reach;
}

export interface ThemeKey {
  key: string;
  /** 0 for a pair; the theme's token count for a single token. */
  size: number;
}

const pairKey = (left: string, right: string) => `${left} ${right}`;

/** Keys a theme is stored under: each pair of its (sorted, distinct) tokens, and each token with the theme's size. */
export function themeKeys(tokens: readonly string[]): ThemeKey[] {
  const keys: ThemeKey[] = [];
  tokens.forEach((token, index) => {
    keys.push({ key: token, size: tokens.length });
    for (const other of tokens.slice(index + 1)) keys.push({ key: pairKey(token, other), size: 0 });
  });
  return keys;
}

/** Keys to look a phrase up by: its pairs (any size), and its single tokens for themes up to `maxSize` tokens. */
export function lookupKeys(tokens: readonly string[], threshold: number): { pairs: string[]; singles: string[]; maxSize: number } {
  const maxSize = singleTokenReach(tokens.length, threshold);
  const pairs: string[] = [];
  tokens.forEach((token, index) => {
    for (const other of tokens.slice(index + 1)) pairs.push(pairKey(token, other));
  });
  return { pairs, singles: maxSize > 0 ? [...tokens] : [], maxSize };
}

export interface Candidate {
  tokens: readonly string[];
}

/** Ties between equally good themes are broken by their tokens, not by age: ids made in the same millisecond are not ordered, and both paths must choose alike. */
const signatureOf = (tokens: readonly string[]) => tokens.join(' ');

/** The most similar candidate at or above the threshold; ties go to more shared tokens, then to the first signature in token order. */
export function bestCandidate<T extends Candidate>(tokens: readonly string[], candidates: Iterable<T>, threshold: number): T | undefined {
  let best: { candidate: T; score: number; shared: number } | undefined;
  const own = new Set(tokens);
  for (const candidate of candidates) {
    const score = phraseSimilarity(tokens, candidate.tokens);
    if (score < threshold) continue;
    const shared = candidate.tokens.filter((token) => own.has(token)).length;
    if (!best || score > best.score || (score === best.score && (shared > best.shared || (shared === best.shared && signatureOf(candidate.tokens) < signatureOf(best.candidate.tokens))))) best = { candidate, score, shared };
  }
  return best?.candidate;
}

/**
 * Themes by their keys, in memory: the regrouping's whole index, and the themes one recording's
 * lookup read (several items' worth in a batch), so each phrase is scored only against the themes
 * its own keys reach, as the database lookup would answer for it alone.
 */
export class ThemeIndex<T extends Candidate> {
  private readonly byKey = new Map<string, T[]>();

  add(theme: T): void {
    for (const { key } of themeKeys(theme.tokens)) {
      const posting = this.byKey.get(key);
      if (posting) posting.push(theme);
      else this.byKey.set(key, [theme]);
    }
  }

  /** Every theme the phrase could join at this threshold (pair keys carry no size; single tokens only reach small themes). */
  candidates(tokens: readonly string[], threshold: number): Set<T> {
    const { pairs, singles, maxSize } = lookupKeys(tokens, threshold);
    const found = new Set<T>();
    for (const key of pairs) for (const theme of this.byKey.get(key) ?? []) found.add(theme);
    for (const key of singles) for (const theme of this.byKey.get(key) ?? []) if (theme.tokens.length <= maxSize) found.add(theme);
    return found;
  }
}
