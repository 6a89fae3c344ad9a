/**
 * The SDK's registered-clients store over our oauth_clients table. Client secrets are kept as
 * sha256 digests: `getClient` hands the digest to the SDK as `client_secret`, and the token and
 * revocation endpoints hash the presented secret before the SDK compares them
 * (src/server/auth/auth-app.ts, `hashPresentedSecret`). A revoked client reads as unknown.
 */
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Db } from '../../storage/db.js';
import { getClient, insertClient } from '../../storage/oauth-clients.js';
import { newId, secretHash } from './secrets.js';

export class StoredClients implements OAuthRegisteredClientsStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  getClient(clientId: string): OAuthClientInformationFull | undefined {
    const row = getClient(this.db, clientId);
    if (!row || row.revoked_at !== null) return undefined;
    const metadata = JSON.parse(row.metadata) as Omit<OAuthClientInformationFull, 'client_id'>;
    return {
      ...metadata,
      client_id: row.client_id,
      client_id_issued_at: Math.floor(row.created_at / 1000),
      ...(row.secret_hash !== null ? { client_secret: row.secret_hash, client_secret_expires_at: row.secret_expires_at ?? 0 } : {}),
    };
  }

  /** Stores the registration (the secret as its digest) and returns it as given: the one time the secret is shown. */
  registerClient(client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>): OAuthClientInformationFull {
    const full = client as Partial<OAuthClientInformationFull>;
    const clientId = full.client_id ?? newId();
    const now = this.now();
    const { client_secret: secret, client_secret_expires_at: secretExpires, client_id: _id, client_id_issued_at: _at, ...metadata } = full;
    insertClient(this.db, {
      client_id: clientId,
      client_name: typeof metadata.client_name === 'string' ? metadata.client_name : null,
      metadata: JSON.stringify(metadata),
      secret_hash: secret ? secretHash(secret) : null,
      secret_expires_at: secret ? (secretExpires ?? 0) : null,
      created_at: now,
    });
    return { ...client, client_id: clientId, client_id_issued_at: Math.floor(now / 1000) } as OAuthClientInformationFull;
  }
}
