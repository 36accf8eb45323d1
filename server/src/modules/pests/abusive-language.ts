/**
 * A deliberately small word list: enough to tell a manager "this customer swears at staff", not a
 * sentiment model (the listening module owns sentiment). Matches whole words, ignoring case and
 * the usual masking (f*ck, sh!t).
 */
const abusiveWords = [
  'fuck', 'fucking', 'fucker', 'motherfucker', 'shit', 'bullshit', 'asshole', 'arsehole', 'bastard', 'bitch', 'cunt', 'dick', 'prick', 'wanker', 'twat',
  'idiot', 'idiots', 'moron', 'morons', 'imbecile', 'retard', 'retarded', 'scum', 'scumbag', 'incompetent', 'useless', 'pathetic', 'clown', 'clowns', 'dumb', 'stupid',
];
const masked = /\b(?:f[*@#!u]ck\w*|sh[*!1i]t\w*|a[*$s]{2}hole)\b/i;
const pattern = new RegExp(`\\b(?:${abusiveWords.join('|')})\\b`, 'i');

export function isAbusive(text: string): boolean {
  return pattern.test(text) || masked.test(text);
}
