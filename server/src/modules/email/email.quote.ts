/**
 * Splits what the customer wrote now from the history their client quoted below it and from the
 * signature, so the agent reads the new part first. Nothing is thrown away: the quoted part is
 * kept beside the message.
 */
const historyMarkers = [
  /^On .{4,200}wrote:\s*$/m,
  /^Le .{4,200}a écrit\s?:\s*$/m,
  /^Am .{4,200}schrieb .{1,100}:\s*$/m,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/im,
  /^_{10,}\s*$/m,
  /^From: .+\r?\nSent: .+$/m,
];

export function foldQuotedText(text: string): { visible: string; quoted: string } {
  let cut = text.length;
  for (const marker of historyMarkers) {
    const match = marker.exec(text);
    if (match && match.index > 0 && match.index < cut) cut = match.index;
  }
  const quotedBlock = trailingQuoteStart(text);
  if (quotedBlock > 0 && quotedBlock < cut) cut = quotedBlock;
  const signature = /^-- ?$/m.exec(text);
  if (signature && signature.index > 0 && signature.index < cut) cut = signature.index;
  const visible = text.slice(0, cut).trimEnd();
  if (!visible.trim()) return { visible: text.trim(), quoted: '' };
  return { visible, quoted: text.slice(cut).trim() };
}

/** Where the block of "> " lines at the end begins (-1 if none); a line scan, linear on hostile input. */
function trailingQuoteStart(text: string): number {
  const lines = text.split('\n');
  let first = lines.length;
  let hasQuote = false;
  while (first > 0) {
    const line = lines[first - 1]!;
    if (line.startsWith('>')) hasQuote = true;
    else if (line.trim() !== '') break;
    first--;
  }
  if (!hasQuote) return -1;
  let offset = 0;
  for (let index = 0; index < first; index++) offset += lines[index]!.length + 1;
  return offset;
}
