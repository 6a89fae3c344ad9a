import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/research/errors.js';
import { parseDuration, resolveOAuthMode } from '../../../src/server/auth/mode.js';
import { resolveHttpMode } from '../../../src/server/modes.js';

const OWNER = 'owner-token-0123456789abcdef';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.describe();
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('OAuth flags', () => {
  it('off unless --auth oauth or --oauth-issuer; OAuth-only flags need it', () => {
    expect(resolveOAuthMode({}, null)).toBeNull();
    expect(resolveOAuthMode({ auth: 'bearer' }, OWNER)).toBeNull();
    expect(refusal(() => resolveOAuthMode({ publicUrl: 'https://x.example' }, OWNER))).toMatch(/--public-url only applies with OAuth.*--auth oauth/);
    expect(refusal(() => resolveOAuthMode({ auth: 'magic' }, OWNER))).toMatch(/--auth: unknown mode "magic".*expected: oauth .* or bearer/);
    expect(refusal(() => resolveOAuthMode({ auth: 'bearer' }, null))).toMatch(/--auth bearer needs a token/);
  });

  it('the built-in server needs the owner token and has default lifetimes of 1 h and 30 d', () => {
    expect(refusal(() => resolveOAuthMode({ auth: 'oauth' }, null))).toMatch(/needs the owner's token.*field: --token.*consent page/);
    expect(resolveOAuthMode({ auth: 'OAuth' }, OWNER)).toEqual({ kind: 'builtin', issuer: null, publicUrl: null, accessTtlSeconds: 3600, refreshTtlSeconds: 2_592_000 });
    expect(resolveOAuthMode({ auth: 'oauth', accessTokenTtl: '15m', refreshTokenTtl: '7d' }, OWNER)).toMatchObject({ accessTtlSeconds: 900, refreshTtlSeconds: 604_800 });
    expect(refusal(() => resolveOAuthMode({ auth: 'oauth', accessTokenTtl: '2h', refreshTokenTtl: '1h' }, OWNER))).toMatch(/--refresh-token-ttl is shorter/);
  });

  it('an external issuer: https (http for loopback only), no lifetimes, no owner token needed', () => {
    expect(resolveOAuthMode({ oauthIssuer: 'https://auth.example.com/realms/x' }, null)).toMatchObject({ kind: 'external', issuer: 'https://auth.example.com/realms/x' });
    expect(resolveOAuthMode({ auth: 'oauth', oauthIssuer: 'http://127.0.0.1:9000' }, null)).toMatchObject({ kind: 'external' });
    expect(refusal(() => resolveOAuthMode({ oauthIssuer: 'http://auth.example.com' }, null))).toMatch(/must be an https URL/);
    expect(refusal(() => resolveOAuthMode({ oauthIssuer: 'https://a.example?x=1' }, null))).toMatch(/no query/);
    expect(refusal(() => resolveOAuthMode({ oauthIssuer: 'not a url' }, null))).toMatch(/is not a URL/);
    expect(refusal(() => resolveOAuthMode({ oauthIssuer: 'https://a.example', accessTokenTtl: '1h' }, null))).toMatch(/only applies to the built-in/);
    expect(refusal(() => resolveOAuthMode({ auth: 'bearer', oauthIssuer: 'https://a.example' }, OWNER))).toMatch(/exclude each other/);
  });

  it('--public-url is an origin (a trailing /mcp is tolerated)', () => {
    expect(resolveOAuthMode({ auth: 'oauth', publicUrl: 'https://Tunnel.Example.com/mcp' }, OWNER)?.publicUrl).toBe('https://tunnel.example.com');
    expect(refusal(() => resolveOAuthMode({ auth: 'oauth', publicUrl: 'https://x.example/app' }, OWNER))).toMatch(/has a path/);
    expect(refusal(() => resolveOAuthMode({ auth: 'oauth', publicUrl: 'http://x.example' }, OWNER))).toMatch(/https URL/);
  });

  it('lifetimes: seconds or s/m/h/d within bounds', () => {
    expect(parseDuration('90', 'f', 60, 86_400)).toBe(90);
    expect(parseDuration('1h', 'f', 60, 86_400)).toBe(3600);
    for (const bad of ['59', '2d', '1w', '-5', '', '1.5h']) expect(() => parseDuration(bad, '--access-token-ttl', 60, 86_400), bad).toThrow(/--access-token-ttl/);
  });
});

describe('OAuth in the HTTP mode', () => {
  it('a remote OAuth server may enable compute and write without a static token, with --public-url', () => {
    const m = resolveHttpMode({ oauthIssuer: 'https://auth.example.com', publicUrl: 'https://mcp.example.com', allow: 'compute,write' });
    expect(m.remote).toBe(true);
    expect(m.allowedHosts).toContainEqual({ hostname: 'mcp.example.com', port: null });
    expect(m.allowedOrigins).toContain('https://mcp.example.com');
    expect(refusal(() => resolveHttpMode({ allow: 'compute', allowedHosts: 'mcp.example.com' }))).toMatch(/without a bearer token.*or OAuth/);
  });

  it('remote OAuth needs --public-url; a local one uses the bound address', () => {
    expect(refusal(() => resolveHttpMode({ auth: 'oauth', token: OWNER, allowedHosts: 'mcp.example.com' }))).toMatch(/remote OAuth server needs --public-url/);
    const local = resolveHttpMode({ auth: 'oauth', token: OWNER, allow: 'compute' });
    expect(local).toMatchObject({ remote: false, oauth: { kind: 'builtin', publicUrl: null } });
    expect(local.warnings).toEqual([]);
    expect(refusal(() => resolveHttpMode({ auth: 'oauth', token: OWNER, host: '::1' }))).toMatch(/http:\/\/127\.0\.0\.1 or http:\/\/localhost.*field: --host/);
  });

  it('warns when OAuth is on but only read is allowed', () => {
    expect(resolveHttpMode({ auth: 'oauth', token: OWNER }).warnings.join('\n')).toMatch(/only the read tier is allowed.*--allow compute/);
  });
});
