import type { Response } from 'supertest';
import * as client from '../../examples/typescript-client/kilowatt-client';
import type { TestApp } from '../app';
import { TestAccount, TestApiKey, anApiKey } from '../factories/accounts';

export interface SecuredKey extends TestApiKey {
  signingKey: string;
  encryptionKey: string;
}

/** An API key with issued signing and encryption keys and the given requirements, set up over HTTP. */
export async function aSecuredKey(
  t: TestApp,
  admin: TestAccount,
  require: { requireSignature?: boolean; requireEncryption?: boolean } = { requireSignature: true },
  scopes: Array<'read' | 'charge' | 'admin'> = ['admin'],
): Promise<SecuredKey> {
  const key = await anApiKey(t, admin, scopes);
  const issued = await t.http.post(`/api/v1/api-keys/${key.id}/security/keys`).set(admin.auth).expect(201);
  await t.http.patch(`/api/v1/api-keys/${key.id}/security`).set(admin.auth).send(require).expect(200);
  return { ...key, signingKey: issued.body.signingKey, encryptionKey: issued.body.encryptionKey };
}

export interface SignedCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** The exact body string sent; empty for none. */
  body?: string;
  /** What is signed, when it should differ from what is sent (tampering tests). */
  signed?: { method?: string; path?: string; body?: string };
  timestamp?: string;
  nonce?: string;
  signingKey?: string;
  headers?: Record<string, string>;
}

/** Sends a request signed with the example client's functions; returns the response and its nonce. */
export async function signedRequest(
  t: TestApp,
  key: SecuredKey,
  call: SignedCall,
): Promise<{ res: Response; nonce: string }> {
  const body = call.body ?? '';
  const signed = client.signatureHeaders(
    call.signingKey ?? key.signingKey,
    call.signed?.method ?? call.method,
    call.signed?.path ?? call.path,
    call.signed?.body ?? body,
    { timestamp: call.timestamp, nonce: call.nonce },
  );
  let req = t.http[call.method.toLowerCase() as 'get'](call.path)
    .set(key.header)
    .set(signed as unknown as Record<string, string>)
    .set(call.headers ?? {});
  if (body) req = req.set('Content-Type', 'application/json').send(body);
  return { res: await req, nonce: signed['X-Nonce'] };
}

/** Whether the response carries a valid signature for the request's nonce. */
export const verifies = (key: SecuredKey, nonce: string, res: Response): boolean =>
  client.verifyResponse(
    key.signingKey,
    nonce,
    res.status,
    { timestamp: res.headers['x-timestamp'] ?? null, signature: res.headers['x-signature'] ?? null },
    Buffer.from(res.text ?? '', 'utf8'),
  );

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));
