import winkNLP, { type ItemSentence, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/**
 * Key phrases: one per sentence, as a set of normalised content tokens. Normalising is what lets
 * "checkout times out", "timeout at checkout" and "check-out page timing out" meet: hyphenated
 * compounds are joined, a verb or noun followed by a particle ("time out", "log in") becomes one
 * word, tokens are stemmed, stop words and words that carry only mood ("terrible", "love") go.
 */
let loaded: WinkMethods | undefined;
function nlp(): WinkMethods {
  // Named and custom entities are never read here and took half of each reading; sentences, parts
  // of speech, negation and sentiment come out the same without them.
  loaded ??= winkNLP(model, ['sbd', 'negation', 'sentiment', 'pos']);
  return loaded;
}

let phrasesOnly: WinkMethods | undefined;
/**
 * Key phrases alone (the regrouping reads every item again) need neither negation nor sentiment;
 * without them a reading cost about a third less (measured 0.037 → 0.024 ms per text), and the
 * phrases are the same (theme.match.test.ts compares both readings).
 */
function phraseReader(): WinkMethods {
  phrasesOnly ??= winkNLP(model, ['sbd', 'pos']);
  return phrasesOnly;
}

/**
 * Stemming every token cost more than reading the text; only candidate words are stemmed, each
 * word once. Bounded, because customer text can bring any number of distinct words.
 */
const stems = new Map<string, string>();
const maxCachedStems = 50_000;
function stemOf(sentence: ItemSentence, index: number, word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    const { its } = nlp();
    stem = sentence.tokens().itemAt(index).out(its.stem as unknown as typeof its.value);
    if (stems.size >= maxCachedStems) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

const particles = new Set(['out', 'up', 'off', 'down']);
/** "in"/"on"/"into" make a compound only after these ("log in", "sign on", "check in"); "drains in an hour" stays apart. */
const inwardVerbs = new Set(['log', 'sign', 'check', 'plug', 'login']);
const inwardParticles = new Set(['in', 'on', 'into']);
const keptPartsOfSpeech = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ', 'NUM']);
/** Stems of words that carry mood or filler, not a topic. */
const moodOrFiller = new Set(
  [
    'be', 'have', 'do', 'get', 'got', 'make', 'go', 'keep', 'kept', 'say', 'tell', 'told', 'want', 'need', 'tri', 'try', 'use', 'let', 'seem', 'come', 'take', 'took',
    'realli', 'just', 'still', 'alway', 'ever', 'never', 'thing', 'lot', 'bit', 'way', 'day', 'today', 'yesterday', 'week', 'time', 'again', 'also', 'even', 'veri', 'pleas',
    'great', 'good', 'bad', 'terribl', 'awesom', 'amaz', 'excel', 'poor', 'horribl', 'worst', 'best', 'nice', 'love', 'hate', 'like', 'happi', 'unhappi', 'disappoint',
    'annoy', 'frustrat', 'upset', 'angri', 'sad', 'glad', 'thank', 'thanks', 'fine', 'okay', 'ok', 'wonder', 'fantast', 'aw', 'awful', 'sure', 'lol', 'ridicul', 'unaccept',
    'hour', 'minut', 'month', 'year', 'morn', 'night', 'overnight', 'age', 'forev', 'forever', 'now', 'yet', 'unabl', 'work', 'sortout', 'findout', 'figureout',
    'kind', 'absolut', 'complet', 'total', 'whole', 'mani', 'much', 'everi', 'someth', 'anyth', 'noth', 'everyth', 'peopl', 'guy', 'compani', 'one', 'two', 'first', 'last',
  ],
);

export interface KeyPhrase {
  /** The sentence the phrase came from, trimmed: what managers read as an example. */
  text: string;
  /** Sorted, distinct normalised tokens. */
  tokens: string[];
  /** The content words as written, for a readable theme label. */
  words: string[];
}

const maxTextLength = 4000;
export const maxTokensPerPhrase = 8;

function prepare(text: string): string {
  return text
    .slice(0, maxTextLength)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/(\p{L})[-\u2010\u2011\u2013](\p{L})/gu, '$1$2')
    .toLowerCase();
}

export function extractKeyPhrases(text: string): KeyPhrase[] {
  const prepared = prepare(text);
  if (!prepared.trim()) return [];
  return phrasesOf(phraseReader().readDoc(prepared));
}

/** Key phrases and sentiment from one reading of the text (reading is most of the cost). */
export function analyzeText(text: string): { phrases: KeyPhrase[]; sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' } } {
  const prepared = prepare(text);
  if (!prepared.trim()) return { phrases: [], sentiment: { score: 0, label: 'neutral' } };
  const doc = nlp().readDoc(prepared);
  return { phrases: phrasesOf(doc), sentiment: scoreSentiment(Number(doc.out(nlp().its.sentiment)) || 0, prepared) };
}

/**
 * A contrast starts a new clause with its own topic: "kind people, but the checkout times out" is
 * praise and a complaint, and only the complaint should meet the other checkout complaints.
 */
const clauseBreaks = new Set(['but', 'however', 'although', 'though', 'whereas', ';']);

function phrasesOf(doc: ReturnType<WinkMethods['readDoc']>): KeyPhrase[] {
  const { its } = nlp();
  const phrases: KeyPhrase[] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const parts = sentence.tokens().out(its.pos) as string[];
    const stops = sentence.tokens().out(its.stopWordFlag) as unknown as boolean[];
    const surface = sentence.tokens().out() as string[];
    const spaces = sentence.tokens().out(its.precedingSpaces) as string[];
    let tokens = new Set<string>();
    let words: string[] = [];
    let clauseStart = 0;
    const endClause = (end: number) => {
      const text = surface.slice(clauseStart, end).map((word, offset) => (offset === 0 ? '' : spaces[clauseStart + offset]) + word).join('').replace(/^[\s,;:]+|[\s,;:]+$/g, '');
      if (tokens.size > 0) phrases.push({ text: text.slice(0, 300), tokens: [...tokens].sort(), words });
      tokens = new Set();
      words = [];
      clauseStart = end + 1;
    };
    for (let index = 0; index < surface.length; index++) {
      if (clauseBreaks.has(surface[index]!)) {
        endClause(index);
        continue;
      }
      let word = surface[index]!;
      const part = parts[index]!;
      const next = surface[index + 1]?.replace(/[^\p{L}]+$/u, '');
      const mayJoin = next !== undefined && (part === 'VERB' || part === 'NOUN' || part === 'PROPN') && (particles.has(next) || inwardParticles.has(next));
      if (!mayJoin && (stops[index] || !keptPartsOfSpeech.has(part))) continue;
      let stem = stemOf(sentence, index, word);
      const joinsParticle = mayJoin && (particles.has(next) || inwardVerbs.has(stem));
      if (joinsParticle) {
        stem = inwardParticles.has(next) ? `${stem}in` : `${stem}${next}`;
        if (stem === 'loginin') stem = 'login';
        word = `${word} ${next}`;
        index++;
      } else if (stops[index] || !keptPartsOfSpeech.has(part)) continue;
      if (stem.length < 2 || moodOrFiller.has(stem) || !/\p{L}/u.test(stem)) continue;
      if (!tokens.has(stem) && tokens.size < maxTokensPerPhrase) {
        tokens.add(stem);
        words.push(word);
      }
    }
    endClause(surface.length);
  });
  return phrases;
}

/**
 * Dice similarity of two token sets, raised to the overlap coefficient when they share at least
 * two tokens: a long sentence that contains a short theme ("the checkout page timed out when I
 * paid by card") belongs to it, while one shared word alone ("checkout button missing") does not.
 */
export function phraseSimilarity(left: readonly string[], right: readonly string[]): number {
  if (left.length === 0 || right.length === 0) return 0;
  const rightSet = new Set(right);
  let shared = 0;
  for (const token of left) if (rightSet.has(token)) shared++;
  const dice = (2 * shared) / (left.length + right.length);
  // A one-word phrase ("the refund is taking forever" → refund) belongs to a short theme that contains its word.
  if (shared === 1 && Math.min(left.length, right.length) === 1 && Math.max(left.length, right.length) <= 3) return Math.max(dice, 0.6);
  if (shared < 2) return dice;
  return Math.max(dice, shared / Math.min(left.length, right.length));
}

const negativeCues = /\b(never (arrived|came|received|answered)|too (long|slow)|times? ?out|timed ?out|timing out|not (working|work|helpful|resolved)|doesn'?t work|did ?n[o']t work|broken|waiting|still waiting|no (reply|answer|response)|rude|late|refund|cancel+ed|crash(es|ed)?|error|fail(s|ed|ing)?|wrong|missing|lost|overcharged|charged twice)\b/g;
const positiveCues = /\b(thank(s| you)|grateful|quick(ly)?|fast|helpful|friendly|kind|solved|sorted|fixed|recommend|above and beyond|lifesaver|patient)\b/g;

/** -1 … 1: wink-nlp's sentiment, nudged by a small help-desk lexicon (wink scores "never arrived" as neutral). */
export function sentimentOf(text: string): { score: number; label: 'negative' | 'neutral' | 'positive' } {
  const prepared = text.slice(0, maxTextLength).toLowerCase();
  if (!prepared.trim()) return { score: 0, label: 'neutral' };
  return scoreSentiment(Number(nlp().readDoc(prepared).out(nlp().its.sentiment)) || 0, prepared);
}

function scoreSentiment(base: number, prepared: string): { score: number; label: 'negative' | 'neutral' | 'positive' } {
  const negatives = prepared.match(negativeCues)?.length ?? 0;
  const positives = prepared.match(positiveCues)?.length ?? 0;
  const score = Math.max(-1, Math.min(1, base + 0.25 * (positives - negatives)));
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, label: rounded <= -0.1 ? 'negative' : rounded >= 0.1 ? 'positive' : 'neutral' };
}
