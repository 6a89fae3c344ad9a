/**
 * The shape of one MCP tool: name, schema, tier, annotations and a thin handler that calls
 * research workflows. Thrown errors are mapped to `isError` results once, in
 * src/server/tool-errors.ts: an InputError (UserError, DataError, …) as the caller's to fix,
 * anything else as internal.
 */
import type { z } from 'zod';
import type { App } from '../research/app.js';
import type { JobRunner } from '../research/jobs.js';

export const TIERS = ['read', 'compute', 'write'] as const;
export type Tier = (typeof TIERS)[number];

export interface ProgressUpdate {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/** How an HTTP server is reached (absent over stdio / in-process); reported by server_info. */
export interface TransportInfo {
  readonly url: string;
  /** Binds a non-loopback address or accepts non-loopback Host names. */
  readonly remote: boolean;
  readonly auth: 'bearer' | 'none' | 'oauth';
  /** With OAuth: the resource tokens must be bound to, where its metadata is, who issues tokens. */
  readonly oauth?: {
    readonly resource: string;
    readonly resource_metadata: string;
    readonly authorization_server: string;
    /** The server's own authorization server (`--auth oauth`) rather than `--oauth-issuer`. */
    readonly built_in: boolean;
    readonly scopes_supported: readonly string[];
  };
  readonly allowed_hosts: readonly string[];
  readonly allowed_origins: readonly string[];
}

export interface ToolContext {
  readonly app: App;
  readonly jobs: JobRunner;
  /** Aborted when the client cancels the request. */
  readonly signal: AbortSignal;
  /** Sends notifications/progress when the request asked for it (no-op otherwise). */
  readonly progress: (p: ProgressUpdate) => Promise<void>;
  /** Identifies the caller for per-client limits (stdio: 'local'). */
  readonly clientId: string;
  readonly tiers: ReadonlySet<Tier>;
  readonly mode: 'stdio' | 'http' | 'in-process';
  readonly transport?: TransportInfo;
}

export interface ToolOutput {
  /**
   * The key figures in words (ids, metrics, verdict, counts; one line per listed item). The
   * registry appends the compact JSON of `data` (src/tools/result-text.ts).
   */
  readonly text: string;
  /** Everything the model needs (`structuredContent`), typed by the tool's `outputSchema`. */
  readonly data: Record<string, unknown>;
  /** The call failed (e.g. the job it started failed): an `isError` result that still carries `data`. */
  readonly isError?: boolean;
  /** Image content blocks sent after the text (base64 data), e.g. render_chart's PNG. */
  readonly images?: readonly { readonly data: string; readonly mimeType: string }[];
}

/** An output schema: a loose object at the top (results grow; see src/tools/outputs/common.ts). */
export type OutputSchema = z.ZodObject<z.ZodRawShape, z.core.$loose>;

export interface ToolAnnotations {
  readonly idempotentHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface ToolDef<S extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly title: string;
  /** What it does, its effects and where to look next: short (tools/list stays small). */
  readonly description: string;
  /**
   * The long form (markdown): what the description leaves out. Shown with the arguments in
   * full in the tool's docs resource, tradelab://docs/tools/{name} (src/server/tool-docs.ts).
   */
  readonly doc?: string;
  readonly tier: Tier;
  readonly inputSchema: S;
  /** Types `structuredContent`; listed in tools/list, checked before a result is sent. */
  readonly outputSchema: OutputSchema;
  readonly annotations?: ToolAnnotations;
  /** Renders its result inline in hosts with MCP Apps (links the report app's ui:// resource). */
  readonly app?: boolean;
  handler(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<ToolOutput> | ToolOutput;
}

/** Identity helper that keeps the handler's argument type tied to the schema. */
export function defineTool<S extends z.ZodRawShape>(def: ToolDef<S>): ToolDef<S> {
  return def;
}

/**
 * Annotations derived from the tier (DESIGN.md §6), then the tool's own overrides. The
 * display title is the tool's own `title` (MCP 2025-06-18), not repeated here, and
 * `idempotentHint` is said where it is true (false is the MCP default): tools/list stays small.
 */
export function annotationsFor(def: ToolDef): Record<string, boolean> {
  const base =
    def.tier === 'read'
      ? { readOnlyHint: true, destructiveHint: false, openWorldHint: false, idempotentHint: true }
      : { readOnlyHint: false, destructiveHint: false, openWorldHint: false };
  return { ...base, ...def.annotations };
}
