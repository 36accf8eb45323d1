/**
 * A small RFC 4180 reader and writer. Imported files come from spreadsheets and other systems, so
 * the reader never throws: it strips a BOM, accepts CRLF, LF or CR line ends and reports each
 * malformed record with its line number instead of giving up on the file.
 */
export interface CsvRecord {
  /** 1-based line on which the record starts, for error reports. */
  line: number;
  cells: string[];
}

export interface CsvParseResult {
  records: CsvRecord[];
  errors: Array<{ line: number; message: string }>;
}

export function parseCsv(text: string): CsvParseResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const errors: CsvParseResult['errors'] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let wasQuoted = false;
  let isBroken = false;

  const endCell = () => {
    cells.push(cell);
    cell = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    if (isBroken) errors.push({ line: recordLine, message: 'a quoted cell has text after its closing quote' });
    else if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
    isBroken = false;
  };

  for (let index = 0; index < input.length; index++) {
    const char = input[index]!;
    if (inQuotes) {
      if (char === '"') {
        if (input[index + 1] === '"') {
          cell += '"';
          index++;
        } else inQuotes = false;
      } else {
        if (char === '\n' || (char === '\r' && input[index + 1] !== '\n')) line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '' && !wasQuoted) {
      inQuotes = true;
      wasQuoted = true;
    } else if (char === ',') endCell();
    else if (char === '\r' || char === '\n') {
      if (char === '\r' && input[index + 1] === '\n') index++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (wasQuoted) isBroken = true;
      cell += char;
    }
  }
  if (inQuotes) {
    errors.push({ line: recordLine, message: 'a quoted cell is never closed' });
    return { records, errors };
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return { records, errors };
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR) as a formula; a leading
 * apostrophe makes it text (OWASP "CSV injection"). Numbers are written as numbers.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: Array<Array<string | number | null>>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
