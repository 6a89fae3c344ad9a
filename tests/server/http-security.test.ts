import { describe, expect, it } from 'vitest';
import { bearerChecker, hostAllowed, originAllowed, parseHostHeader, tokenIdentity } from '../../src/server/security.js';

const local = { bindHost: '127.0.0.1', allowedHosts: [] };

describe('Host header validation (DNS rebinding)', () => {
  it('parses host headers with ports and IPv6 literals', () => {
    expect(parseHostHeader('LocalHost:8787')).toEqual({ hostname: 'localhost', port: 8787 });
    expect(parseHostHeader('[::1]:80')).toEqual({ hostname: '::1', port: 80 });
    expect(parseHostHeader('example.com')).toEqual({ hostname: 'example.com', port: null });
    for (const bad of ['', 'a b', 'x.com/evil', 'user@x.com', '[zz]:1', 'a:b:c']) expect(parseHostHeader(bad), bad).toBeNull();
  });
  it('a loopback-bound server accepts loopback names only', () => {
    for (const h of ['127.0.0.1:8787', 'localhost:8787', 'localhost', '[::1]:8787']) expect(hostAllowed(h, local), h).toBe(true);
    for (const h of ['evil.example.com', 'evil.example.com:8787', '10.0.0.1:8787', undefined, 'localhost.evil.com']) expect(hostAllowed(h, local), String(h)).toBe(false);
  });
  it('allowed hosts extend the list, with or without a port', () => {
    const p = { bindHost: '127.0.0.1', allowedHosts: [{ hostname: 'mcp.example.com', port: null }, { hostname: 'tunnel.example.org', port: 443 }] };
    expect(hostAllowed('mcp.example.com', p)).toBe(true);
    expect(hostAllowed('MCP.example.com:8443', p)).toBe(true);
    expect(hostAllowed('tunnel.example.org:443', p)).toBe(true);
    expect(hostAllowed('tunnel.example.org', p)).toBe(false);
    expect(hostAllowed('other.example.com', p)).toBe(false);
  });
  it('a specific bind address is accepted as a Host; a wildcard bind is not', () => {
    expect(hostAllowed('192.168.1.5:8787', { bindHost: '192.168.1.5', allowedHosts: [] })).toBe(true);
    expect(hostAllowed('0.0.0.0:8787', { bindHost: '0.0.0.0', allowedHosts: [] })).toBe(false);
    expect(hostAllowed('localhost:8787', { bindHost: '0.0.0.0', allowedHosts: [] })).toBe(true);
  });
});

describe('Origin validation', () => {
  const p = { port: 8787, allowedOrigins: ['https://app.example.com'] };
  it('no Origin (non-browser clients) is allowed', () => {
    expect(originAllowed(undefined, p)).toBe(true);
  });
  it('loopback origins on our port and listed origins are allowed', () => {
    for (const o of ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787', 'https://app.example.com']) expect(originAllowed(o, p), o).toBe(true);
  });
  it('a loopback-bound server accepts any loopback origin (the Inspector UI at :6274), still not others', () => {
    const local = { ...p, loopbackBound: true };
    for (const o of ['http://localhost:6274', 'http://127.0.0.1:3000', 'http://[::1]:6274', 'http://localhost']) expect(originAllowed(o, local), o).toBe(true);
    for (const o of ['http://evil.example.com', 'http://localhost.evil.example:6274', 'null', 'file://localhost']) expect(originAllowed(o, local), o).toBe(false);
  });
  it('other origins, other ports and opaque origins are refused (a remote server stays strict)', () => {
    for (const o of ['http://evil.example.com', 'http://localhost:3000', 'http://localhost', 'null', 'https://app.example.com:444', 'http://app.example.com', 'not a url']) {
      expect(originAllowed(o, p), o).toBe(false);
    }
  });
});

describe('bearer token check', () => {
  const check = bearerChecker('s3cret-token-0123456789');
  it('accepts exactly the token, case-insensitive scheme', () => {
    expect(check('Bearer s3cret-token-0123456789')).toBe('ok');
    expect(check('bearer s3cret-token-0123456789')).toBe('ok');
  });
  it('distinguishes a missing header from a wrong or malformed one', () => {
    expect(check(undefined)).toBe('missing');
    for (const h of ['Bearer wrong', 'Bearer s3cret-token-012345678', 'Bearer s3cret-token-01234567890', 'Basic czNjcmV0', 's3cret-token-0123456789', 'Bearer', 'Bearer a b']) {
      expect(check(h), h).toBe('invalid');
    }
  });
  it('client identity from a token never contains the token', () => {
    const id = tokenIdentity('s3cret-token-0123456789');
    expect(id).toMatch(/^token:[0-9a-f]{12}$/);
    expect(id).not.toContain('s3cret');
    expect(tokenIdentity('other')).not.toBe(id);
  });
});
