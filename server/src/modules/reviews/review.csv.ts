/**
 * RFC 4180 CSV, parsed by hand because the format is small and the cells are hostile: quotes,
 * embedded newlines, a byte-order mark, CR/LF endings. Cells are returned as text; nothing in a
 * cell is ever evaluated, and the caller decides what each column may contain.
 */
export function parseCsv(input: string, maxRows: number): { rows: string[][]; truncated: boolean } {
  const text = input.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else cell += character;
      index++;
      continue;
    }
    if (character === '"' && cell === '') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index++;
      row.push(cell);
      if (row.some((value) => value !== '')) rows.push(row);
      if (rows.length > maxRows) return { rows: rows.slice(0, maxRows), truncated: true };
      row = [];
      cell = '';
    } else cell += character;
    index++;
  }
  row.push(cell);
  if (row.some((value) => value !== '')) rows.push(row);
  return { rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
}
