import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackName, parseAllow, parseHostRule, parseOrigin, resolveHttpMode } from '../../src/server/modes.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { UserError } from '../../src/research/errors.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('--allow parsing', () => {
  it('defaults to read only and accumulates tiers', () => {
    expect([...parseAllow(undefined)]).toEqual(['read']);
    expect([...parseAllow('compute')].sort()).toEqual(['compute', 'read']);
    expect([...parseAllow(' compute , WRITE ')].sort()).toEqual(['compute', 'read', 'write']);
    expect([...parseAllow('read')]).toEqual(['read']);
  });
  it('rejects write without compute, unknown tiers (with a suggestion) and an empty list', () => {
    expect(userError(() => parseAllow('write')).describe()).toMatch(/--allow compute,write/);
    expect(userError(() => parseAllow('comptue')).describe()).toMatch(/did you mean compute/);
    expect(userError(() => parseAllow(',')).describe()).toMatch(/at least one tier/);
  });
});

describe('loopback names and host rules', () => {
  it('recognises loopback names and addresses only', () => {
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackName(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'evil.localhost.com', 'example.com', '128.0.0.1', '::2']) expect(isLoopbackName(h), h).toBe(false);
  });
  it('parses host rules with optional ports and rejects junk', () => {
    expect(parseHostRule('MCP.Example.com')).toEqual({ hostname: 'mcp.example.com', port: null });
    expect(parseHostRule('tunnel.example.org:443')).toEqual({ hostname: 'tunnel.example.org', port: 443 });
    expect(parseHostRule('[::1]:8787')).toEqual({ hostname: '::1', port: 8787 });
    expect(parseHostRule('10.1.2.3')).toEqual({ hostname: '10.1.2.3', port: null });
    for (const bad of ['http://x.com', 'a b', 'x.com:99999', '', 'x.com/path']) expect(() => parseHostRule(bad), bad).toThrow(UserError);
  });
  it('normalises origins and rejects non-origins', () => {
    expect(parseOrigin('https://App.Example.com')).toBe('https://app.example.com');
    expect(parseOrigin('http://localhost:3000/')).toBe('http://localhost:3000');
    for (const bad of ['app.example.com', 'https://x.com/path', 'ftp://x.com', 'null']) expect(() => parseOrigin(bad), bad).toThrow(UserError);
  });
});

describe('resolveHttpMode: remote detection and the token rule', () => {
  it('a default server is local, read-only and unauthenticated on 127.0.0.1:8787', () => {
    const m = resolveHttpMode({});
    expect(m).toMatchObject({ bindHost: '127.0.0.1', port: 8787, remote: false, token: null });
    expect([...m.tiers]).toEqual(['read']);
  });
  it('local + compute needs no token', () => {
    const m = resolveHttpMode({ allow: 'compute', port: '0' });
    expect(m.remote).toBe(false);
    expect(m.port).toBe(0);
    expect(m.tiers.has('compute')).toBe(true);
  });
  it('a non-loopback bind or a non-loopback allowed host makes the server remote', () => {
    expect(resolveHttpMode({ host: '0.0.0.0' }).remote).toBe(true);
    expect(resolveHttpMode({ host: '192.168.1.5' }).remote).toBe(true);
    expect(resolveHttpMode({ allowedHosts: 'tunnel.example.com' }).remote).toBe(true);
    expect(resolveHttpMode({ allowedHosts: 'localhost:8787,127.0.0.2' }).remote).toBe(false);
    expect(resolveHttpMode({ host: '::1' }).remote).toBe(false);
  });
  it('remote + compute or write without a token is refused, naming the reason and the fix', () => {
    const e1 = userError(() => resolveHttpMode({ host: '0.0.0.0', allow: 'compute' }));
    expect(e1.describe()).toMatch(/refusing to start/);
    expect(e1.describe()).toMatch(/0\.0\.0\.0/);
    expect(e1.describe()).toMatch(/TRADELAB_TOKEN/);
    const e2 = userError(() => resolveHttpMode({ allowedHosts: 'mcp.example.com', allow: 'compute,write' }));
    expect(e2.describe()).toMatch(/mcp\.example\.com/);
    expect(e2.describe()).toMatch(/compute and write/);
  });
  it('remote + compute starts with --token or $TRADELAB_TOKEN; remote read-only starts without one but warns', () => {
    expect(resolveHttpMode({ host: '0.0.0.0', allow: 'compute', token: 'x'.repeat(32) }).token).toBe('x'.repeat(32));
    expect(resolveHttpMode({ host: '0.0.0.0', allow: 'compute', envToken: 'y'.repeat(32) }).token).toBe('y'.repeat(32));
    expect(resolveHttpMode({ host: '0.0.0.0', allow: 'compute', token: 'flag', envToken: 'env' }).token).toBe('flag');
    const ro = resolveHttpMode({ host: '0.0.0.0' });
    expect(ro.token).toBeNull();
    expect(ro.warnings.join(' ')).toMatch(/unauthenticated/);
    expect(resolveHttpMode({ token: 'short' }).warnings.join(' ')).toMatch(/only 5 characters/);
  });
  it('rejects bad ports, hosts and empty tokens', () => {
    for (const port of ['-1', '65536', 'abc', '1.5', '']) expect(() => resolveHttpMode({ port }), port).toThrow(UserError);
    expect(() => resolveHttpMode({ host: 'bad host' })).toThrow(UserError);
    expect(() => resolveHttpMode({ token: '  ' })).toThrow(/empty/);
  });
});

describe('tiers through an in-process client', () => {
  let ro: Harness;
  let compute: Harness;
  beforeAll(async () => {
    ro = await harness({ tiers: ['read'] });
    compute = await harness({ tiers: ['read', 'compute'] });
  });
  afterAll(async () => {
    await ro.close();
    await compute.close();
  });

  it('a read-only server lists exactly the read tools of ALL_TOOLS', async () => {
    const { tools } = await ro.client.listTools();
    const expected = ALL_TOOLS.filter((t) => t.tier === 'read').map((t) => t.name).sort();
    expect(tools.map((t) => t.name).sort()).toEqual(expected);
    for (const t of tools) expect(t.annotations, t.name).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
  });

  it('calling a tool of a disabled tier refuses, naming the tier and the flag', async () => {
    const computeTools = ALL_TOOLS.filter((t) => t.tier === 'compute');
    expect(computeTools.length).toBeGreaterThan(0);
    for (const def of computeTools) {
      const r = await ro.call(def.name, {});
      expect(r.isError, def.name).toBe(true);
      expect(textOf(r)).toMatch(/compute-tier tool/);
      expect(textOf(r)).toMatch(/--allow compute/);
    }
    for (const def of ALL_TOOLS.filter((t) => t.tier === 'write')) {
      const r = await compute.call(def.name, {});
      expect(r.isError, def.name).toBe(true);
      expect(textOf(r)).toMatch(/write tier is disabled/);
      expect(textOf(r)).toMatch(/--allow compute,write/);
    }
  });

  it('a compute server lists read + compute tools, not write ones, and server_info says so', async () => {
    const { tools } = await compute.client.listTools();
    const names = new Set(tools.map((t) => t.name));
    for (const def of ALL_TOOLS) expect(names.has(def.name), def.name).toBe(def.tier !== 'write');
    const info = dataOf<{ tiers: string[]; disabled_tiers: string[] }>(await compute.call('server_info'));
    expect(info.tiers).toEqual(['read', 'compute']);
    expect(info.disabled_tiers).toEqual(['write']);
  });
});
