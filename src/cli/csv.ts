/**
 * CSV as RFC 4180 says: CRLF line breaks, a header line, and a field quoted (its quotes
 * doubled) when it holds a comma, a quote, a CR or an LF. Numbers are written exactly
 * (shortest round-trip form); null is an empty field.
 */
export type CsvCell = string | number | boolean | null | undefined;

export function csvField(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(head: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [head, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
