/**
 * The blame guard: phrases that blame the customer, deflect or talk down, found in reply text
 * with their position and a kinder wording; and whether the reply acknowledges feelings before it
 * starts solving. Pure: the workspace's own phrases are passed in.
 */
export type BlameCategory = 'blame' | 'deflection' | 'condescension' | 'policy' | 'custom';

export interface BlamePhrase {
  phrase: string;
  category: BlameCategory | string;
  suggestion: string;
}

export interface BlameFlag {
  phrase: string;
  matched: string;
  start: number;
  end: number;
  category: string;
  suggestion: string;
}

/** Each entry is a pattern (words separated by flexible whitespace, apostrophes optional) and a wording that owns the problem instead. */
export const defaultBlamePhrases: BlamePhrase[] = [
  { phrase: "not our problem", category: 'deflection', suggestion: "something we'll sort out for you" },
  { phrase: "not my problem", category: 'deflection', suggestion: "something I'll sort out for you" },
  { phrase: "that's not my job", category: 'deflection', suggestion: "I'll make sure this gets done" },
  { phrase: "not my department", category: 'deflection', suggestion: "I'll get the right person on this and stay with you until it's done" },
  { phrase: "nothing I can do", category: 'deflection', suggestion: "Here is what I can do" },
  { phrase: "nothing we can do", category: 'deflection', suggestion: "Here is what we can do" },
  { phrase: "you'll have to contact", category: 'deflection', suggestion: "I'll contact them for you" },
  { phrase: "you should have", category: 'blame', suggestion: "Next time it may help to" },
  { phrase: "you failed to", category: 'blame', suggestion: "It looks like we didn't receive" },
  { phrase: "your fault", category: 'blame', suggestion: "let's fix this together" },
  { phrase: "you didn't read", category: 'blame', suggestion: "I may not have explained this clearly" },
  { phrase: "you did it wrong", category: 'blame', suggestion: "let's go through it together" },
  { phrase: "user error", category: 'blame', suggestion: "this is easy to miss" },
  { phrase: "as I already said", category: 'condescension', suggestion: "To recap" },
  { phrase: "as I said before", category: 'condescension', suggestion: "To recap" },
  { phrase: "as previously stated", category: 'condescension', suggestion: "To recap" },
  { phrase: "as I explained", category: 'condescension', suggestion: "To recap" },
  { phrase: "calm down", category: 'condescension', suggestion: "I understand how frustrating this is" },
  { phrase: "obviously", category: 'condescension', suggestion: "" },
  { phrase: "company policy doesn't allow", category: 'policy', suggestion: "What I can do instead is" },
  { phrase: "it's company policy", category: 'policy', suggestion: "What I can do instead is" },
  { phrase: "against our policy", category: 'policy', suggestion: "What I can do instead is" },
  { phrase: "we don't do that", category: 'policy', suggestion: "What I can do instead is" },
];

const maxScannedLength = 20_000;

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "that's not my job" also matches "thats not my  job" and "that’s not my job". */
export function phrasePattern(phrase: string): RegExp {
  const words = phrase.trim().toLowerCase().split(/\s+/).map((word) => escapeForPattern(word).replace(/'/g, "['’]?"));
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
}

export function findBlamePhrases(text: string, phrases: BlamePhrase[]): BlameFlag[] {
  const scanned = text.slice(0, maxScannedLength);
  const flags: BlameFlag[] = [];
  for (const entry of phrases) {
    for (const match of scanned.matchAll(phrasePattern(entry.phrase))) {
      const start = match.index ?? 0;
      flags.push({ phrase: entry.phrase, matched: match[0], start, end: start + match[0].length, category: entry.category, suggestion: entry.suggestion });
    }
  }
  // Overlapping phrases ("not my problem" inside a custom "that's not my problem"): keep the longest.
  flags.sort((left, right) => left.start - right.start || right.end - left.end);
  return flags.filter((flag, index) => !flags.slice(0, index).some((other) => other.start <= flag.start && other.end >= flag.end));
}

/** The text with every flag replaced by its suggestion (flags without one are left as written). */
export function applySuggestions(text: string, flags: BlameFlag[]): string {
  let result = text;
  for (const flag of [...flags].sort((left, right) => right.start - left.start)) {
    if (!flag.suggestion) continue;
    result = result.slice(0, flag.start) + flag.suggestion + result.slice(flag.end);
  }
  return result;
}

const acknowledgement = /\b(i('| a)?m (so |really |very |truly )?sorry|we('| a)?re (so |really |very |truly )?sorry|(my|our) (sincere |deepest )?apologies|i apologi[sz]e|we apologi[sz]e|i (completely |totally |fully )?understand (how|why|that|your)|i can (imagine|see) how|i hear you|that (must|sounds) (be |have been )?(so |really |very )?(frustrating|annoying|upsetting|disappointing|stressful|awful|worrying)|how (frustrating|annoying|upsetting|disappointing)|thank you for your patience|i('| a)?m sorry to hear)\b/i;
const solutionStart = /\b(i('| ha)?ve (issued|refunded|sent|fixed|arranged|credited|re-?sent|replaced|updated|cancel+ed|booked)|we('| ha)?ve (issued|refunded|sent|fixed|arranged|credited|re-?sent|replaced|updated|cancel+ed|booked)|i('| wi)?ll (issue|refund|send|fix|arrange|credit|resend|replace|update|cancel|book|check|look)|please (try|click|go|restart|reset|open|follow|send)|(you can|to fix this|the solution|here('| i)s (how|what))|(refund|replacement|credit) (is|has been|will be))\b/i;

/**
 * Whether the reply acknowledges the customer's feelings before it starts solving: an apology or
 * empathy sentence that comes before the first sentence that does or proposes something.
 */
export function acknowledgesFeelingsFirst(text: string): { acknowledges: boolean; acknowledgementAt: number | null; solutionAt: number | null } {
  const sentences = text.slice(0, maxScannedLength).split(/(?<=[.!?])\s+|\n+/).map((sentence) => sentence.trim()).filter(Boolean);
  const acknowledgementAt = sentences.findIndex((sentence) => acknowledgement.test(sentence));
  const solutionAt = sentences.findIndex((sentence) => solutionStart.test(sentence));
  const found = (index: number) => (index < 0 ? null : index);
  return { acknowledges: acknowledgementAt >= 0 && (solutionAt < 0 || acknowledgementAt <= solutionAt), acknowledgementAt: found(acknowledgementAt), solutionAt: found(solutionAt) };
}
