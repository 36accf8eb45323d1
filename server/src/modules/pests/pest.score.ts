/**
 * The pest score (0–100) adds four signals, each capped so no single one decides alone:
 *   cost to serve vs lifetime value  up to 40 (full when serving costs as much as the customer is worth)
 *   contact frequency                up to 20 (full at 10 tickets in the window)
 *   remedy frequency                 up to 20 (full at 5 remedies asked for in the window)
 *   abusive language                 up to 20 (full at 3 abusive messages in the window)
 * With the default threshold of 50, abuse alone never flags a customer, and a valuable customer
 * who contacts often is not a pest unless serving them also costs what they are worth.
 */
export interface PestSignals {
  costToServe: number;
  lifetimeValue: number;
  tickets: number;
  remedies: number;
  abusiveMessages: number;
  days: number;
}

export interface PestReason {
  code: 'cost_exceeds_value' | 'frequent_contact' | 'frequent_remedies' | 'abusive_language';
  points: number;
  message: string;
}

export const maximumPointsWithoutLanguage = 80;

const round = (value: number) => Math.round(value * 10) / 10;

export function scorePest(signals: PestSignals): { score: number; reasons: PestReason[] } {
  const reasons: PestReason[] = [];
  const costShare = signals.costToServe / Math.max(signals.lifetimeValue, 1);
  const costPoints = round(40 * Math.min(1, costShare));
  if (costPoints > 0) {
    // A share of a value of nothing reads as nonsense ("29000%"): say so plainly instead.
    const message =
      signals.lifetimeValue > 0
        ? `Cost to serve ${round(signals.costToServe)} is ${Math.round(costShare * 100)}% of lifetime value ${round(signals.lifetimeValue)}`
        : `Cost to serve ${round(signals.costToServe)} with no recorded lifetime value`;
    reasons.push({ code: 'cost_exceeds_value', points: costPoints, message });
  }
  const contactPoints = round(20 * Math.min(1, signals.tickets / 10));
  if (signals.tickets >= 3) reasons.push({ code: 'frequent_contact', points: contactPoints, message: `${signals.tickets} tickets in the last ${signals.days} days` });
  const remedyPoints = round(20 * Math.min(1, signals.remedies / 5));
  if (signals.remedies >= 2) reasons.push({ code: 'frequent_remedies', points: remedyPoints, message: `${signals.remedies} remedies asked for in the last ${signals.days} days` });
  const languagePoints = round(20 * Math.min(1, signals.abusiveMessages / 3));
  if (signals.abusiveMessages > 0) reasons.push({ code: 'abusive_language', points: languagePoints, message: `Abusive language in ${signals.abusiveMessages} message${signals.abusiveMessages === 1 ? '' : 's'}` });
  return { score: round(costPoints + contactPoints + remedyPoints + languagePoints), reasons: reasons.sort((a, b) => b.points - a.points) };
}
