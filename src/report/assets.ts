/**
 * Browser assets inlined into tradelab's HTML pages (report, dashboard, MCP App): the vega,
 * vega-lite and vega-embed UMD builds, vega-interpreter (vega's CSP-safe expression evaluator,
 * so charts render without `unsafe-eval`) and the MCP Apps bundle from
 * @modelcontextprotocol/ext-apps. Files are located through the packages (never the cwd),
 * read once and cached. ES-module builds are turned into classic scripts that set a global
 * (`vegaInterpreter`, `McpApps`), and every script is made safe to inline in `<script>`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The root directory of an installed package (walks up from its resolved entry point). */
function packageRoot(pkg: string, entry: string, from?: string): string {
  let file: string;
  try {
    file = (from ? createRequire(join(from, 'package.json')) : require).resolve(entry);
  } catch (err) {
    throw new Error(`tradelab report assets: package ${pkg} is not installed (cannot resolve ${entry}: ${(err as Error).message})`);
  }
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) return dir;
      } catch {
        // an unreadable package.json on the way up: keep walking
      }
    }
  }
  throw new Error(`tradelab report assets: cannot find the package root of ${pkg} above ${file}`);
}

function readAsset(pkg: string, entry: string, rel: string, from?: string): string {
  const file = join(packageRoot(pkg, entry, from), rel);
  if (!existsSync(file)) throw new Error(`tradelab report assets: browser build missing: ${file} (reinstall ${pkg})`);
  return readFileSync(file, 'utf8');
}

/** Makes script text safe inside an inline `<script>`: no `</script`, no source-map comment. */
export function inlineScript(source: string): string {
  return source.replace(/^\/\/# sourceMappingURL=.*$/gm, '').replace(/<\/(script)/gi, '<\\/$1');
}

/** `a as B, c` → [['a', 'B'], ['c', 'c']] (name before and after `as`). */
function bindings(list: string): (readonly [string, string])[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
      if (!m) throw new Error(`tradelab report assets: unsupported import/export binding "${s}"`);
      return [m[1], m[2] ?? m[1]] as const;
    });
}

/**
 * Turns a bundled ES module (named imports from `globals`, one final `export{...}`) into a classic
 * script wrapped in a strict IIFE that assigns the exports to `globalThis[name]`.
 */
export function esmToGlobal(source: string, file: string, name: string, globals: Record<string, string> = {}): string {
  const exports = source.match(/\bexport\s*\{[^}]*\}/g) ?? [];
  if (exports.length !== 1) throw new Error(`tradelab report assets: ${file} has ${exports.length} export{...} statements, expected exactly one`);
  let body = source.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
  body = body.replace(/import\s*\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2\s*;?/g, (_all, list: string, _q, spec: string) => {
    const global = globals[spec];
    if (!global) throw new Error(`tradelab report assets: ${file} imports "${spec}", which has no browser global`);
    // import{a as b} → const{a:b}=globalThis.G;
    const names = bindings(list).map(([imported, local]) => `${imported}:${local}`);
    return `const{${names.join(',')}}=globalThis.${global};`;
  });
  const exp = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(body);
  if (!exp) throw new Error(`tradelab report assets: ${file} does not end in an export{...} statement`);
  body = body.slice(0, exp.index) + `globalThis.${name}={${bindings(exp[1]).map(([local, exported]) => `${exported}:${local}`).join(',')}};`;
  return inlineScript(`(function(){"use strict";\n${body}\n})();`);
}

export interface BrowserAssets {
  /** vega, vega-lite, vega-interpreter and vega-embed, in load order (globals vega, vegaLite, vegaInterpreter, vegaEmbed). */
  readonly vegaScripts: readonly string[];
  /** The MCP Apps client as a classic script defining `globalThis.McpApps` (App, PostMessageTransport, …). */
  readonly mcpApps: string;
}

let cached: BrowserAssets | undefined;

/** The inlinable browser scripts (read from node_modules on first use, then cached). */
export function browserAssets(): BrowserAssets {
  if (cached) return cached;
  const vega = inlineScript(readAsset('vega', 'vega', 'build/vega.min.js'));
  const vegaLite = inlineScript(readAsset('vega-lite', 'vega-lite', 'build/vega-lite.min.js'));
  // vega-interpreter is vega-embed's dependency: resolve it from there (it may not be hoisted)
  const interpreter = esmToGlobal(
    readAsset('vega-interpreter', 'vega-interpreter', 'build/vega-interpreter.js', packageRoot('vega-embed', 'vega-embed')),
    'vega-interpreter/build/vega-interpreter.js',
    'vegaInterpreter',
    { 'vega-util': 'vega' },
  );
  const embed = inlineScript(readAsset('vega-embed', 'vega-embed', 'build/vega-embed.min.js'));
  const mcpApps = esmToGlobal(
    readAsset('@modelcontextprotocol/ext-apps', '@modelcontextprotocol/ext-apps/app-with-deps', 'dist/src/app-with-deps.js'),
    '@modelcontextprotocol/ext-apps/dist/src/app-with-deps.js',
    'McpApps',
  );
  cached = { vegaScripts: [vega, vegaLite, interpreter, embed], mcpApps };
  return cached;
}

/** `<script>` tags for the given classic scripts. */
export function scriptTags(scripts: readonly string[]): string {
  return scripts.map((s) => `<script>${s}</script>`).join('\n');
}
