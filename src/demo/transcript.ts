/** Readable transcript lines for the scripted demo (plain text, no colours when piped). */
export interface Transcript {
  say(text: string): void;
  call(tool: string, args: Record<string, unknown>): void;
  result(text: string, isError: boolean): void;
}

export function consoleTranscript(out: NodeJS.WriteStream = process.stdout): Transcript {
  const color = out.isTTY && !process.env.NO_COLOR;
  const c = (code: number, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return {
    say: (text) => out.write(`\n${c(1, `agent: ${text}`)}\n`),
    call: (tool, args) => out.write(`${c(36, `  → ${tool}`)} ${JSON.stringify(args)}\n`),
    result: (text, isError) => {
      const lines = text.split('\n');
      const shown = lines.slice(0, 14);
      for (const l of shown) out.write(`${c(isError ? 31 : 32, '  ←')} ${l}\n`);
      if (lines.length > shown.length) out.write(`  ← … (${lines.length - shown.length} more lines)\n`);
    },
  };
}
