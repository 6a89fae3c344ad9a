/**
 * Values across the synchronous PostgreSQL connection (pg/sync-db.ts), which speaks libpq's
 * text format: parameters go as text, results come as text with their type OID. Chosen so a
 * row reads back as better-sqlite3 gives it: integers and floats as numbers (BIGINT epoch
 * milliseconds included), BYTEA as a Buffer, booleans as 1/0 (SQLite has no boolean), and
 * everything else (TEXT, TIMESTAMP, ENUM labels) as the server's text.
 */

// type OIDs (pg_type.oid; fixed for the built-in types)
const BOOL = 16;
const BYTEA = 17;
const INT8 = 20;
const INT2 = 21;
const INT4 = 23;
const OID = 26;
const FLOAT4 = 700;
const FLOAT8 = 701;
const NUMERIC = 1700;

/** One result value, from its text form and column type. */
export function decodePgValue(type: number, text: string): unknown {
  switch (type) {
    case INT2:
    case INT4:
    case INT8:
    case OID:
    case FLOAT4:
    case FLOAT8:
    case NUMERIC:
      return Number(text); // 'Infinity', '-Infinity', 'NaN' and '-0' included
    case BOOL:
      return text === 't' ? 1 : 0;
    case BYTEA:
      return Buffer.from(text.slice(2), 'hex'); // bytea_output = hex: '\x…'
    default:
      return text;
  }
}

/** One parameter in text form (null is SQL NULL). Floats round-trip exactly, −0 and ±∞ included; NaN is NULL, as SQLite stores it. */
export function encodePgParam(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
      // libpq passes text as C strings: everything after a NUL would be dropped without a word
      if (v.includes('\0')) throw new TypeError('PostgreSQL text cannot hold the NUL character (\\u0000); remove it from the value');
      return v;
    case 'number':
      if (Number.isNaN(v)) return null; // as SQLite binds it: a REAL column holds no NaN there
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? '1' : '0';
    default:
      if (ArrayBuffer.isView(v)) return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
      throw new TypeError(`cannot pass a ${Object.prototype.toString.call(v).slice(8, -1)} as a SQL parameter (expected a string, number, bigint, Buffer or null)`);
  }
}

/**
 * SQLite's `?` placeholders as PostgreSQL's `$1, $2, …`, leaving quoted strings, quoted
 * identifiers, dollar-quoted bodies and comments alone. SQLite's numbered `?NNN` and
 * PostgreSQL's E'…' strings (backslash escapes) are refused: the storage SQL uses neither.
 */
export function numberedPlaceholders(sql: string): { readonly sql: string; readonly count: number } {
  let out = '';
  let count = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    let end = -1;
    if (ch === "'" || ch === '"') {
      if (ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/[\w$]/.test(sql[i - 2] ?? '')) throw new Error(`E'…' strings are not supported in storage SQL: ${sql.slice(0, 80)}`);
      end = closing(sql, i, ch);
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    } else if (ch === '$') {
      const tag = sql.slice(i).match(/^\$[A-Za-z_]*\$/);
      if (tag && !/[\w$]/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        end = close < 0 ? sql.length : close + tag[0].length;
      }
    }
    if (end >= 0) {
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '?') {
      if (/\d/.test(sql[i + 1] ?? '')) throw new Error(`numbered placeholders (?NNN) are not supported in storage SQL: ${sql.slice(0, 80)}`);
      out += `$${++count}`;
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { sql: out, count };
}

/** Index just past the quote closing the one at `start` (a doubled quote is an escaped one). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return sql.length;
}
