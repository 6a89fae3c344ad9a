/**
 * grammar.ebnf and the hand-written parser say the same thing: the grammar's terminals are the
 * lexer's, every sentence generated from the grammar parses, and on random and mutated token
 * strings the parser accepts exactly what a recogniser built from the grammar file accepts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/engine/random.js';
import { KEYWORDS, OPERATORS } from '../../../../src/engine/strategies/lang/lexer.js';
import { parseExpression } from '../../../../src/engine/strategies/lang/parser.js';
import { REPO_ROOT } from '../../../helpers/shared-data.js';
import { generate, readEbnf, recognises, terminals, type Tok } from './ebnf.js';

const grammar = readEbnf(readFileSync(resolve(REPO_ROOT, 'src/engine/strategies/lang/grammar.ebnf'), 'utf8'));
const TOKEN_RULES = ['number', 'identifier'] as const;

function text(toks: readonly Tok[]): string {
  return toks.map((t) => t.text).join(' ');
}

function parses(src: string): boolean {
  try {
    parseExpression(src);
    return true;
  } catch {
    return false;
  }
}

describe('grammar.ebnf', () => {
  it('defines every rule it uses', () => {
    const used = [...grammar.keys()].flatMap((name) => [...JSON.stringify(grammar.get(name)).matchAll(/"ref","name":"(\w+)"/g)].map((m) => m[1]));
    for (const name of used) expect(grammar.has(name), name).toBe(true);
  });

  it('has exactly the lexer\'s operators and keywords as terminals of the syntax', () => {
    const syntax = terminals(grammar, 'expression', TOKEN_RULES);
    expect([...syntax].sort()).toEqual([...OPERATORS, ...KEYWORDS].sort());
  });

  it('the parser accepts 1,000 sentences generated from the grammar, with and without spaces between punctuation', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const toks = generate(grammar, 'expression', seed, 16, TOKEN_RULES, KEYWORDS);
      const spaced = text(toks);
      expect(parses(spaced), spaced).toBe(true);
      // tight: no space next to an operator (words still need one; a number never touches a ".")
      const word = (t: Tok): boolean => t.cls !== 'other' || /^[a-z]/.test(t.text) || t.text === '.';
      let tight = '';
      toks.forEach((t, i) => {
        const gap = i > 0 && word(toks[i - 1]) && word(t) ? ' ' : '';
        tight += gap + t.text;
      });
      expect(parses(tight), tight).toBe(true);
    }
  });

  it('on random and mutated token strings the parser accepts exactly what the grammar accepts', () => {
    const rng = createRng(7);
    const alphabet: Tok[] = [
      ...[...OPERATORS, ...KEYWORDS].map((text) => ({ text, cls: 'other' as const })),
      { text: 'x', cls: 'identifier' },
      { text: 'sma', cls: 'identifier' },
      { text: '2', cls: 'number' },
      { text: '0.5', cls: 'number' },
    ];
    const pick = (): Tok => alphabet[Math.floor(rng.next() * alphabet.length)];
    let accepted = 0;
    for (let k = 0; k < 4000; k++) {
      let toks: Tok[];
      if (k % 2 === 0) {
        toks = Array.from({ length: 1 + Math.floor(rng.next() * 7) }, pick);
      } else {
        toks = generate(grammar, 'expression', 10_000 + k, 12, TOKEN_RULES, KEYWORDS);
        const at = Math.floor(rng.next() * (toks.length + 1));
        const op = Math.floor(rng.next() * 3);
        if (op === 0) toks.splice(at, 1);
        else if (op === 1) toks.splice(at, 0, pick());
        else toks.splice(at, 1, pick());
      }
      if (toks.length === 0) continue;
      const want = recognises(grammar, 'expression', toks, TOKEN_RULES);
      expect(parses(text(toks)), `${text(toks)} (grammar: ${want ? 'accepts' : 'rejects'})`).toBe(want);
      if (want) accepted++;
    }
    // the comparison covers both outcomes
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(3700);
  });

  it('numbers and identifiers follow the lexical rules', () => {
    for (let seed = 1; seed <= 300; seed++) {
      for (const rule of TOKEN_RULES) {
        const tok = generate(grammar, rule, seed, 10, [], KEYWORDS).map((t) => t.text).join('');
        if ((KEYWORDS as readonly string[]).includes(tok)) continue;
        expect(parses(tok), tok).toBe(true);
        expect(parses(`${tok} + 1`), tok).toBe(true);
      }
    }
  });
});
