import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/**
 * How a customer feels in one message: sentiment (-1 … 1) and agitation (0 … 1), with the reasons
 * an agent can read. wink-nlp gives the base sentiment; help-desk signals that it misses (shouting,
 * exclamation runs, repeated contacts, angry or urgent wording, sarcasm) move the scores.
 * Pure apart from the lazily loaded model (about 300 ms once; then well under 1 ms per message).
 */
let loaded: WinkMethods | undefined;
function nlp(): WinkMethods {
  // Only what the sentiment needs: sentence boundaries (a document's score is made of its
  // sentences') and negation. Part-of-speech tagging and entity recognition, which the default
  // pipeline adds, changed no score on the labelled set and took half of readDoc's time.
  loaded ??= winkNLP(model, ['sbd', 'negation', 'sentiment']);
  return loaded;
}

/** wink's cost grows with length; the opening of a message carries its mood. */
const analysedLength = 2000;
const scannedLength = 10_000;

const angerWords = /\b(unacceptable|not acceptable|ridiculous|outrageous|disgust(ing|ed)|furious|livid|fed up|sick (and tired )?of|worst|scam|fraud|rip[- ]?off|cheat(ing|ed|s)?|lawyers?|sue|legal action|ombudsman|chargeback|disput(e|ing) the (charge|payment)|(one|1)[- ]star|bad reviews?|useless|incompetent|pathetic|joke|terrible|horrible|awful|appall(ing|ed)|shocking|shameful|shame on you|unbelievable|disgrace(ful)?|nightmare|never again|fuming|angry|mad at|frustrat(ed|ing|ion)|(very|extremely|deeply|really|so|bitterly|truly) (disappointed|unhappy|upset)|not impressed|enough is enough|wtf|rubbish|are you (kidding|serious)|kidding me|how hard can it be|makes no sense|far too long|unanswered|bothered to|very bad|(had|have had) enough|i('m| am) done|(i )?demand|end of my (patience|tether)|or (else|i('ll| will)? (cancel|leave|go elsewhere|report))|(third|fourth|fifth|tenth|\d+(st|nd|rd|th)) time)\b/g;
const urgencyWords = /\b(urgent(ly)?|asap|immediately|right now|right away|emergency|at once|today|without delay|as soon as possible)\b/g;
const sarcasmPatterns = /\b(oh (great|wonderful|perfect|brilliant|fantastic|lovely|joy)|just (great|perfect|wonderful|brilliant)|thanks for nothing|(thanks|thank you)( a lot| so much)? for (losing|ignoring|wasting|breaking|nothing)|yeah right|what a (joke|surprise)|great job,? (not|again)|love (waiting|being ignored)|love how (you|your)|nice to know|(sure|oh),? take your time|so helpful,? not)\b/g;
/** A cheerful opening word right before a complaint ("Brilliant. Charged twice.", "Wow, two hours on hold.") reads as sarcasm. */
const cheerfulOpening = /^\s*((brilliant|great|fantastic|wonderful|perfect|lovely|superb|marvellous)[.!]|wow\b)/;
/** "not angry", "isn't terrible", "never rude": the word is denied, not meant. */
const negatedBefore = /(\bnot|n't|\bnever|\bno)\s+((so|too|that|very|really|at all)\s+)?$/;
const complaintCues = /\b(still (waiting|not|no)|on hold|twice|never (arrived|came|received|answered|replied)|no (reply|answer|response)|not (working|resolved|fixed|helpful)|doesn'?t work|did ?n'?t work|broken|again|nobody|no one|ignored|charged twice|overcharged|refund|cancel(led)?|wrong|missing|lost|damaged|late)\b/g;
const gratitudeWords = /\b(thank(s| you)|grateful|appreciate[ds]?|brilliant service|great service|amazing|fantastic|wonderful|lifesaver|you('re| are) (the best|great|a star)|well done|much obliged|cheers)\b/g;
const acronyms = new Set(['OK', 'USA', 'UK', 'EU', 'PDF', 'ID', 'FAQ', 'API', 'URL', 'SMS', 'TV', 'PC', 'DHL', 'UPS', 'USB', 'IT', 'CEO', 'VAT', 'ETA', 'ASAP', 'PIN', 'IBAN', 'GB', 'AM', 'PM', 'HTML']);

export interface FeelingSignals {
  /** Inbound messages by the same customer in the last 48 hours, this one included. */
  recentContacts: number;
}

export interface Feelings {
  sentiment: number;
  agitation: number;
  reasons: string[];
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value));
const round = (value: number) => Math.round(value * 1000) / 1000;
const matches = (text: string, pattern: RegExp) => [...new Set(text.match(pattern) ?? [])];
const affirmedMatches = (text: string, pattern: RegExp) => [...new Set([...text.matchAll(pattern)].filter((match) => !negatedBefore.test(text.slice(Math.max(0, match.index - 20), match.index))).map((match) => match[0]))];

function ordinal(count: number): string {
  const suffix = count % 100 >= 11 && count % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[count % 10] ?? 'th';
  return `${count}${suffix}`;
}

/** Shouted words (three or more capitals, not a known acronym) and their share of the letters. */
function shouting(text: string): { ratio: number; words: string[] } {
  const words = text.match(/\b[\p{L}']{2,}\b/gu) ?? [];
  const letters = words.reduce((sum, word) => sum + word.length, 0);
  if (letters < 12) return { ratio: 0, words: [] };
  const shouted = words.filter((word) => word.length >= 3 && word === word.toUpperCase() && word !== word.toLowerCase() && !acronyms.has(word));
  return { ratio: shouted.reduce((sum, word) => sum + word.length, 0) / letters, words: shouted };
}

export function scoreFeelings(rawText: string, signals: FeelingSignals = { recentContacts: 1 }): Feelings {
  const text = rawText.slice(0, scannedLength);
  const lower = text.toLowerCase();
  if (!lower.trim()) return { sentiment: 0, agitation: 0, reasons: [] };
  const reasons: string[] = [];
  const base = Number(nlp().readDoc(lower.slice(0, analysedLength)).out(nlp().its.sentiment)) || 0;

  const anger = affirmedMatches(lower, angerWords);
  const urgency = matches(lower, urgencyWords);
  const complaints = matches(lower, complaintCues);
  const sarcasm = matches(lower, sarcasmPatterns);
  if (sarcasm.length === 0 && complaints.length > 0 && cheerfulOpening.test(lower)) sarcasm.push('cheerful opening');
  const gratitude = sarcasm.length > 0 ? [] : matches(lower, gratitudeWords);

  // Sarcasm reads positive to a lexicon ("oh great"): flip what it added.
  const sarcasmCorrection = sarcasm.length > 0 ? -Math.max(0.3, base + 0.3) : 0;
  const adjusted = clamp(base + sarcasmCorrection - 0.2 * anger.length - 0.12 * complaints.length + 0.2 * gratitude.length, -1, 1);
  // Angry wording is never a good mood, however many friendly words surround it ("with all due respect…").
  const sentiment = anger.length > 0 ? Math.min(adjusted, -0.2) : adjusted;

  const shouted = shouting(text);
  const exclamationRuns = (text.match(/[!?]*![!?]+|!{2,}/g) ?? []).length;
  const exclamations = (text.match(/!/g) ?? []).length;
  const repeated = Math.max(0, signals.recentContacts - 1);

  // Capitals and exclamation marks in a plainly grateful message are delight, not anger ("THANK YOU!!! IT WORKS!!!").
  const isDelighted = gratitude.length > 0 && anger.length === 0 && complaints.length === 0 && sentiment > 0.2;
  let agitation = 0.45 * Math.max(0, -sentiment);
  if (anger.length > 0) {
    agitation += Math.min(0.45, 0.2 + 0.1 * anger.length);
    reasons.push(`angry wording (${anger.slice(0, 3).join(', ')})`);
  }
  if (sarcasm.length > 0) {
    agitation += 0.25;
    reasons.push('sarcasm');
  }
  if (isDelighted) {
    // No voice raised: only the words count.
  } else if (shouted.ratio >= 0.25) {
    agitation += Math.min(0.35, shouted.ratio * 0.45);
    reasons.push('writing in capitals');
  } else if (shouted.words.length >= 2) {
    // A few shouted words in calm text ("the THIRD time", "fix it NOW") still raise the voice.
    agitation += Math.min(0.15, 0.05 * shouted.words.length);
    reasons.push(`shouted words (${[...new Set(shouted.words)].slice(0, 3).join(', ')})`);
  }
  if (!isDelighted && (exclamationRuns > 0 || exclamations >= 3)) {
    agitation += Math.min(0.15, 0.07 * Math.max(exclamationRuns, exclamations - 2));
    reasons.push('exclamation marks');
  }
  if (urgency.length > 0) {
    agitation += Math.min(0.15, 0.08 * urgency.length);
    reasons.push(`urgent wording (${urgency.slice(0, 2).join(', ')})`);
  }
  if (repeated > 0) {
    agitation += Math.min(0.3, 0.12 * repeated);
    reasons.unshift(`${ordinal(signals.recentContacts)} contact in 2 days`);
  }
  if (complaints.length > 0 && anger.length === 0) reasons.push('complaint wording');
  if (sentiment <= -0.3 && reasons.length === 0) reasons.push('negative wording');
  if (gratitude.length > 0 && sentiment > 0.2) reasons.push('thanks');
  return { sentiment: round(sentiment), agitation: round(clamp(agitation, 0, 1)), reasons };
}

/** Warm the model outside a transaction so the first message does not pay for it. */
export function loadFeelingsModel(): void {
  nlp();
}

/**
 * Praise: clearly positive, says thanks, and neither angry nor sarcastic. Repeated contacts do not
 * matter here: the third message can be the one that says "you have been amazing".
 */
export function isPraise(feelings: Feelings): boolean {
  const isHostile = feelings.reasons.some((reason) => reason.startsWith('angry') || reason === 'sarcasm' || reason === 'writing in capitals');
  return feelings.sentiment >= 0.4 && feelings.reasons.includes('thanks') && !isHostile;
}
