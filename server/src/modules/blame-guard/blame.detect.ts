/**
 * The blame guard: phrases that blame the customer, deflect or talk down, found in reply text
 * with their position and a kinder wording; and whether the reply acknowledges feelings before it
 * starts solving. Pure: the workspace's own phrases are passed in.
 */
export type BlameCategory = 'blame' | 'deflection' | 'condescension' | 'policy' | 'custom';

export interface BlamePhrase {
  /** What the agent and the settings page read; a workspace's own phrases are matched as written. */
  phrase: string;
  category: BlameCategory | string;
  suggestion: string;
  /**
   * Built-in entries only: a regular expression over lower-case text that also catches the
   * phrase's variants and skips its harmless look-alikes ("you should have it by Friday").
   * As in phrases, a space stands for any whitespace and an apostrophe is optional and straight or curly;
   * unlike a workspace phrase, a space here also lets in up to two filler adverbs ("not really our problem").
   */
  pattern?: string;
}

export interface BlameFlag {
  phrase: string;
  matched: string;
  start: number;
  end: number;
  category: string;
  suggestion: string;
}

/** "not" and its contractions: "isn't our fault", "we aren't responsible", "wasn't your fault". */
const not = "(not|(is|was|are|were|ai|do|does|did|has|have|had|ca|could|would|should|wo)n't)";
/** "I", "I've", "I'd", "I have", "we had"… before the verb that repeats an earlier answer. */
const weHave = "(i|we)('ve| have|'d| had)?";
/** What an agent says when pointing back at an earlier answer: "as I explained", "like I mentioned". */
const said = '(said|told you|mentioned|explained|stated|noted|wrote|written|pointed out|informed you|advised|indicated)';

/** Entries of one category, written without repeating it. */
function inCategory(category: BlameCategory, entries: Array<Omit<BlamePhrase, 'category'>>): BlamePhrase[] {
  return entries.map((entry) => ({ ...entry, category }));
}

/**
 * Each entry is what to look for and a wording that owns the problem instead. Written as families
 * ("not" or any contraction of it, any verb of having said something before) rather than the exact
 * sentences seen, so unseen wordings of the same phrase are caught.
 */
export const defaultBlamePhrases: BlamePhrase[] = [
  // Deflection: the problem belongs to someone else.
  ...inCategory('deflection', [
    { phrase: 'not our problem', pattern: `${not} our (problem|issue|concern)`, suggestion: "something we'll sort out for you" },
    { phrase: 'not my problem', pattern: `${not} my (problem|issue|concern)`, suggestion: "something I'll sort out for you" },
    { phrase: 'your problem, not ours', pattern: 'your problem,? not ours', suggestion: 'our problem to solve' },
    { phrase: "it's their problem", pattern: "(it's|it is|that's|that is) their (problem|issue)", suggestion: "I'll take it up with them for you" },
    { phrase: "that's not my job", pattern: "((that|it)'s |(that|it) is |is )?not my job", suggestion: "I'll make sure this gets done" },
    { phrase: 'not my department', suggestion: "I'll get the right person on this and stay with you until it's done" },
    { phrase: 'not our responsibility', pattern: `${not} (our|my) responsibility`, suggestion: "something we'll take care of" },
    { phrase: 'we are not responsible for', pattern: `we('re| are)? ${not} responsible for`, suggestion: "we'll sort out" },
    { phrase: 'not our fault', pattern: `${not} our fault|(fault|mistake),? not ours`, suggestion: "something we'll put right" },
    { phrase: 'nothing I can do', pattern: "nothing (more |else )?i can do|not (much|a lot) i can do|i (can't|cannot|can not) do anything", suggestion: 'Here is what I can do' },
    { phrase: 'nothing we can do', pattern: "nothing (more |else )?we can do|not (much|a lot) we can do|we (can't|cannot|can not) do anything", suggestion: 'Here is what we can do' },
    { phrase: "I can't help you", pattern: "(i|we) (can't|cannot|can not) help you", suggestion: "I'll find who can help and stay with you" },
    { phrase: "you'll have to contact", pattern: "you('ll| will) (have|need) to contact", suggestion: "I'll contact" },
    { phrase: 'take it or leave it', suggestion: '' },
    { phrase: 'end of story', suggestion: '' },
  ]),
  // Blame: the customer did it.
  ...inCategory('blame', [
    { phrase: 'you should have', pattern: "you (should('ve| have| of)|ought to have)(?! (it|them|received|got|gotten|had|access|the|a|an|your|been|now|by)\\b)", suggestion: 'Next time it may help to' },
    { phrase: 'you failed to', suggestion: "It looks like we didn't receive" },
    { phrase: 'your fault', pattern: `(?<!${not} )your (own )?fault`, suggestion: "let's fix this together" },
    { phrase: 'your mistake', pattern: `(?<!${not} )your (own )?mistake`, suggestion: 'an easy slip to make' },
    { phrase: "you didn't read", pattern: "you (didn't|did not) (read|follow|check|look at)|did you (not |bother to )?(read|see|check|look at)", suggestion: 'I may not have explained this clearly' },
    { phrase: 'you did it wrong', pattern: "you did it wrong|you('re| are) (doing|using) it wrong", suggestion: "let's go through it together" },
    { phrase: 'you must have', pattern: 'you must have (entered|typed|made|done|clicked|sent|ordered|used|forgotten|missed|deleted|broken|dropped)', suggestion: 'it looks like we got' },
    { phrase: 'if you had read', pattern: "if you (had|would have|'d) (read|checked|followed|looked)", suggestion: 'In case it helps, ' },
    { phrase: "why didn't you", pattern: "why (didn't|did not|don't|do not) you", suggestion: 'It can help to' },
    { phrase: 'you have to be more careful', pattern: 'you (have|need) to be more careful', suggestion: '' },
    { phrase: 'what you expect us to do', pattern: 'what you expect (us|me) to do', suggestion: 'what would help you most' },
    { phrase: 'user error', pattern: 'user error|between the keyboard and the chair', suggestion: 'this is easy to miss' },
  ]),
  // Condescension: talking down or sighing in writing.
  ...inCategory('condescension', [
    { phrase: 'as I already said', pattern: `(as|like) ${weHave} ${said}|as (previously (stated|mentioned)|(stated|mentioned) (before|previously|earlier|in my (last|previous) (email|message|reply)))|(as )?per my (last|previous) (email|message|reply)`, suggestion: 'To recap' },
    { phrase: 'I already told you', pattern: "(i|we)( have|'ve)? already (told|explained to|said to|mentioned to) you|(i|we)('ve| have|'d| had)? (told|explained to|said to|mentioned to) you (\\w+ times|already|before|twice)|for the (second|third|fourth|fifth|\\w+th) time", suggestion: 'To recap' },
    { phrase: "I'm not going to repeat myself", pattern: "(i'm|i am) not going to repeat myself|how many (more )?times (do|must|will|should|have|am) (i|we)", suggestion: 'Let me put it another way' },
    { phrase: 'calm down', suggestion: 'I understand how frustrating this is' },
    { phrase: 'obviously', pattern: 'obviously(?= (you|the|your|it|this|that)\\b)|you (obviously|clearly)', suggestion: '' },
    { phrase: 'it clearly says', pattern: '(it )?clearly (says|states|said|stated)|it says clearly', suggestion: 'you can find it' },
    { phrase: "it's not rocket science", pattern: "((it's|it is) )?not rocket science", suggestion: '' },
  ]),
  // Policy as a wall instead of a reason.
  ...inCategory('policy', [
    { phrase: "company policy doesn't allow", pattern: "(company|our) policy (doesn't|does not|won't|will not|can't|cannot) (allow|permit)", suggestion: 'What I can do instead is' },
    { phrase: "it's company policy", pattern: "(it's|it is|is|that's|that is|this is) company policy|per (company|our) policy", suggestion: 'What I can do instead is' },
    { phrase: 'against our policy', pattern: 'against (our |company )?policy', suggestion: 'outside what I can usually do, so here is what I can do instead' },
    { phrase: "we don't do that", suggestion: 'What I can do instead is' },
    { phrase: 'rules are rules', pattern: "rules are rules|(that's|that is|this is) (how it works|the policy)", suggestion: '' },
  ]),
  // A built-in phrase without its own pattern is still matched as a pattern, so it takes filler words too.
].map((entry) => ({ ...entry, pattern: entry.pattern ?? escapeForPattern(entry.phrase) }));

const maxScannedLength = 20_000;

/**
 * Words that stress or soften without changing who is blamed ("not really our problem", "as I just
 * said", "you obviously didn't read"). A built-in pattern lets up to two in at each space, so a
 * negative look-behind such as "not your fault" also skips "not really your fault".
 */
const fillers = 'really|actually|exactly|just|simply|honestly|truly|even|quite|entirely|totally|necessarily|strictly|technically|clearly|obviously|literally|frankly|basically|certainly|definitely|genuinely|already|ever';
const spaceWithFillers = `\\s+(?:(?:${fillers})\\s+){0,2}`;

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Spaces match any whitespace (with filler words too in built-in patterns), apostrophes are optional
 * and straight or curly, and matches stop at word edges.
 */
function compile(source: string, allowFillers: boolean): RegExp {
  const flexible = source.trim().toLowerCase().replace(/ +/g, allowFillers ? spaceWithFillers : '\\s+').replace(/'/g, "['’]?");
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${flexible})(?![\\p{L}\\p{N}])`, 'giu');
}

/** "that's not my job" also matches "thats not my  job" and "that’s not my job". */
export function phrasePattern(phrase: string): RegExp {
  return compile(escapeForPattern(phrase), false);
}

export function findBlamePhrases(text: string, phrases: BlamePhrase[]): BlameFlag[] {
  const scanned = text.slice(0, maxScannedLength);
  const flags: BlameFlag[] = [];
  for (const entry of phrases) {
    for (const match of scanned.matchAll(entry.pattern ? compile(entry.pattern, true) : phrasePattern(entry.phrase))) {
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
