import { ago } from '../../ui/format';

/** "just now", "3 h ago": when an opinion arrived. */
export const agoText = (iso: string) => (ago(iso) === 'now' ? 'just now' : `${ago(iso)} ago`);

/** Shown as dot badges, like ticket statuses: the colour is in the dot and the text keeps full contrast. */
export const sentimentColor = { negative: 'red', neutral: 'gray', positive: 'green' } as const;
