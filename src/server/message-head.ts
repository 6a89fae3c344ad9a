/**
 * What can be told about a JSON-RPC message from the start and the end of its text alone:
 * its top-level `method` and `id`. Used to answer a stdio message too large to keep (only
 * its first and last few KiB are kept) with an error the client can match to its request.
 * Clients put `id` first (`{"jsonrpc","id","method",…}`) or last (the TypeScript SDK sends
 * `{"method","params","jsonrpc","id"}`), so both ends are read.
 */

export type RpcId = string | number;

export interface MessageHead {
  readonly method?: string;
  readonly id?: RpcId;
}

const WS = /\s/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const LITERAL = /^(?:true|false|null)/;

/** End index (exclusive) of the JSON string starting at `i` (a quote), or -1 if cut off. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return -1;
}

/** End index of the nested object or array starting at `i`, or -1 if cut off. */
function nestedEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j = stringEnd(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.test(text[i])) i++;
  return i;
}

/** The top-level members of a JSON object read from a prefix of its text, until the text is cut off. */
export function headMembers(text: string): MessageHead {
  const out: { method?: string; id?: RpcId } = {};
  let i = skipWs(text, 0);
  if (text[i] !== '{') return out;
  i++;
  for (;;) {
    i = skipWs(text, i);
    if (text[i] !== '"') return out;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return out;
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') return out;
    i = skipWs(text, i + 1);
    let end: number;
    const c = text[i];
    if (c === '"') end = stringEnd(text, i);
    else if (c === '{' || c === '[') end = nestedEnd(text, i);
    else {
      const m = NUMBER.exec(text.slice(i, i + 40)) ?? LITERAL.exec(text.slice(i, i + 5));
      end = m ? i + m[0].length : -1;
      if (end >= text.length) end = -1; // a number may continue past the cut
    }
    if (end < 0) return out;
    if (key === 'method' || key === 'id') {
      const v = JSON.parse(text.slice(i, end)) as unknown;
      if (key === 'method' && typeof v === 'string') out.method = v;
      if (key === 'id' && (typeof v === 'string' || typeof v === 'number')) out.id = v;
    }
    i = skipWs(text, end);
    if (text[i] !== ',') return out;
    i++;
  }
}

/** An `id` that is the last member of the top-level object (optionally followed by `"jsonrpc":"2.0"`). */
const TAIL_ID = /[,{]\s*"id"\s*:\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")\s*(?:,\s*"jsonrpc"\s*:\s*"2\.0"\s*)?\}\s*$/;

export function tailId(text: string): RpcId | undefined {
  const m = TAIL_ID.exec(text);
  if (!m) return undefined;
  const v = JSON.parse(m[1]) as unknown;
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** `method` and `id` from the kept start and end of a message. */
export function messageHead(head: string, tail: string): MessageHead {
  try {
    const h = headMembers(head);
    return { method: h.method, id: h.id ?? tailId(tail) };
  } catch {
    return {}; // not JSON (a bad escape in a key, say): nothing can be told
  }
}
