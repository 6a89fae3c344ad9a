/**
 * The scanner behind the engine purity guard (DESIGN.md §2: `src/engine` is pure — no
 * storage, no file system, network or processes, no environment, no clock, no console).
 * A file is parsed with the TypeScript compiler, so comments and string contents are never
 * mistaken for code and every import form is seen: `import … from`, `export … from`,
 * `import x = require()`, `import()` and `require()`. Violations are reported with the
 * line, the offending text and what was broken.
 */
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export interface Violation {
  readonly line: number;
  readonly text: string;
  readonly rule: string;
}

/** A use the rules forbid in general but one part of the engine needs, with the reason. */
export interface Allowance {
  /** The module specifier allowed (a built-in such as `node:worker_threads`). */
  readonly specifier: string;
  /** Files whose path (relative to the repo, `/`-separated) starts with this. */
  readonly under: string;
  /** When set, only these named imports may be taken from it. */
  readonly names?: readonly string[];
  readonly reason: string;
}

/** Packages that do I/O (a database, a server, a browser, the file system): never in the engine. */
const IO_PACKAGES = ['better-sqlite3', 'express', '@modelcontextprotocol/', '@resvg/', 'playwright-core', 'pngjs'];

/**
 * Global objects whose every use is I/O, the environment or the clock. (`setImmediate`, a
 * turn of the event loop with no time in it, is not one: the inline evaluator yields with it.)
 */
const FORBIDDEN_GLOBALS: Record<string, string> = {
  process: 'reads the process (environment, argv, cwd, streams)',
  console: 'writes to the console',
  performance: 'reads the clock',
  require: 'loads modules outside the import graph',
  setTimeout: 'schedules by the clock',
  setInterval: 'schedules by the clock',
  fetch: 'uses the network',
  globalThis: 'reaches globals by name, past this guard',
  global: 'reaches globals by name, past this guard',
};

function importRule(specifier: string, file: string, names: readonly string[] | null, allowances: readonly Allowance[]): string | null {
  if (specifier.startsWith('.')) {
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    return target.startsWith('src/engine/') ? null : `imports ${target} from outside src/engine (engine code depends on nothing above it)`;
  }
  const allowed = allowances.find((a) => a.specifier === specifier && file.startsWith(a.under));
  if (allowed) {
    if (!allowed.names || (names && names.every((n) => allowed.names!.includes(n)))) return null;
    return `takes ${names ? names.join(', ') : 'the whole module'} from ${specifier}; only ${allowed.names.join(', ')} is allowed (${allowed.reason})`;
  }
  if (isBuiltin(specifier)) return `imports the Node built-in ${specifier} (I/O, processes or threads; none is allowed here)`;
  const io = IO_PACKAGES.find((p) => specifier === p || (p.endsWith('/') && specifier.startsWith(p)));
  return io ? `imports ${specifier}, a package that does I/O` : null;
}

/** The names an import declaration takes (null: the whole module, a namespace or default). */
function importedNames(node: ts.ImportDeclaration | ts.ExportDeclaration): string[] | null {
  if (ts.isExportDeclaration(node)) {
    return node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text) : null;
  }
  const clause = node.importClause;
  if (!clause) return []; // a side-effect import takes nothing by name
  if (clause.name || !clause.namedBindings || ts.isNamespaceImport(clause.namedBindings)) return null;
  return clause.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text);
}

/** The module specifier of an import form, if `node` is one, with the names it takes. */
function importOf(node: ts.Node): { specifier: ts.Expression; names: string[] | null } | null {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    return { specifier: node.moduleSpecifier, names: importedNames(node) };
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    return { specifier: node.moduleReference.expression, names: null };
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    return { specifier: node.arguments[0], names: null };
  }
  return null;
}

/** Whether an identifier is a reference to a global of that name (not a property name or a declaration). */
function isGlobalReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return !ts.isTypeReferenceNode(p) && !ts.isTypeQueryNode(p);
}

/** A clock or randomness read through `Date` / `Math`: `Date.now()`, `new Date()`, `Date()`, `Math.random()`. */
function clockRule(node: ts.Node): string | null {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const what = `${node.expression.text}.${node.name.text}`;
    if (what === 'Date.now') return 'reads the clock (pass a clock in from the caller)';
    if (what === 'Math.random') return 'draws unseeded random numbers (take a seed or an rng from the caller)';
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && !node.arguments?.length) {
    return 'reads the clock: new Date() without a time (pass a clock in from the caller)';
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') return 'reads the clock: Date() is the current time as text';
  return null;
}

/** Every violation of the engine's purity rules in one file's source. `file` is its repo-relative path. */
export function scanSource(file: string, source: string, allowances: readonly Allowance[] = []): Violation[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Violation[] = [];
  const report = (node: ts.Node, rule: string): void => {
    out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf).slice(0, 80), rule });
  };
  const visit = (node: ts.Node): void => {
    const imp = importOf(node);
    if (imp) {
      if (imp.specifier && ts.isStringLiteralLike(imp.specifier)) {
        const rule = importRule(imp.specifier.text, file, imp.names, allowances);
        if (rule) report(node, rule);
      } else report(node, 'imports a module named at run time (the guard cannot see what it loads)');
    }
    const clock = clockRule(node);
    if (clock) report(node, clock);
    if (ts.isIdentifier(node) && Object.hasOwn(FORBIDDEN_GLOBALS, node.text) && isGlobalReference(node)) report(node.parent, FORBIDDEN_GLOBALS[node.text]);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
