import { Badge, type BadgeProps } from '@mantine/core';

/** The scales a rating is given on: review stars and CSAT 1–5, NPS 0–10, effort (CES) 1–7 where 7 is "very easy". */
export type RatingScale = 'stars' | 'csat' | 'nps' | 'ces';

// Where each scale turns bad and good, as the server reads it: a review is negative at 2 stars or
// fewer, CSAT counts 4 and 5 as satisfied, NPS has detractors at 0–6 and promoters at 9–10.
const bands: Record<RatingScale, { poorAtMost: number; goodAtLeast: number }> = {
  stars: { poorAtMost: 2, goodAtLeast: 4 },
  csat: { poorAtMost: 2, goodAtLeast: 4 },
  nps: { poorAtMost: 6, goodAtLeast: 9 },
  ces: { poorAtMost: 3, goodAtLeast: 5 },
};

// Mantine's darkest green (green.9) gives white text 4.4:1, under WCAG's 4.5:1; this one gives 5.3:1.
const goodGreen = '#1e7b34';

/** Red for a poor score, yellow for a middling one, green for a good one. */
export function ratingColor(score: number, scale: RatingScale): string {
  const band = bands[scale];
  if (score <= band.poorAtMost) return 'red.8';
  if (score >= band.goodAtLeast) return goodGreen;
  return 'yellow.5';
}

/**
 * A score coloured by what it means, so 3★ never looks like 5★. Filled, with the text's colour
 * chosen against the fill (dark on yellow, white on red and green) to keep WCAG contrast.
 */
export function RatingBadge({ score, scale, ...props }: { score: number; scale: RatingScale } & BadgeProps) {
  return <Badge color={ratingColor(score, scale)} variant="filled" autoContrast {...props} />;
}
