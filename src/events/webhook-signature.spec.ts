import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  newWebhookSecret,
  retryDelayMs,
  signWebhook,
  signatureHeaders,
  verifyWebhook,
} from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1","type":"session.started"}';

  it('signs "<timestamp>.<body>" with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  const signature = signWebhook(secret, 1700000000, body);
  it.each([
    ['the genuine request', { timestamp: '1700000000', signature }, body, secret, true],
    ['a changed body', { timestamp: '1700000000', signature }, body.replace('e1', 'e2'), secret, false],
    ['another secret', { timestamp: '1700000000', signature }, body, 'whsec_other', false],
    ['a changed timestamp', { timestamp: '1700000001', signature }, body, secret, false],
    ['a missing signature', { timestamp: '1700000000', signature: undefined }, body, secret, false],
    ['a malformed timestamp', { timestamp: 'soon', signature }, body, secret, false],
  ])('verifies %s as %s', (_what, headers, raw, key, ok) => {
    expect(verifyWebhook(key, headers, raw, { nowSeconds: 1700000010 })).toBe(ok);
  });

  it('refuses a timestamp older than the tolerance (replay)', () => {
    const headers = { timestamp: '1700000000', signature };
    expect(verifyWebhook(secret, headers, body, { nowSeconds: 1700000000 + 301 })).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 10_000],
    [2, 30_000],
    [3, 90_000],
    [4, 270_000],
    [5, 810_000],
    [6, 2_430_000],
    [7, 3_600_000],
    [20, 3_600_000],
  ])('waits after attempt %i for %i ms (base 10 s, cap 1 h)', (attempt, delay) => {
    expect(retryDelayMs(attempt, 10_000, 3_600_000)).toBe(delay);
  });
});

describe('Standard Webhooks headers', () => {
  const body = '{"id":"e1","type":"session.started"}';
  const now = Math.floor(Date.now() / 1000);

  it('verify with a Standard Webhooks library given the secret as issued', () => {
    const issued = newWebhookSecret();
    const headers = signatureHeaders(issued, 'd-1', now, body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(issued).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['X-Kilowatt-Signature']).toBe(signWebhook(issued, now, body));
  });

  it('sign with the same key bytes for a secret issued in base64url before the standard', () => {
    const bytes = Buffer.from('an older secret of thirty-two by', 'utf8');
    const older = `whsec_${bytes.toString('base64url')}`;
    const headers = signatureHeaders(older, 'd-2', now, body);
    expect(new Webhook(`whsec_${bytes.toString('base64')}`).verify(body, headers)).toEqual(JSON.parse(body));
    expect(
      verifyWebhook(older, { timestamp: String(now), signature: headers['X-Kilowatt-Signature'] }, body),
    ).toBe(true);
  });

  it('bind the delivery id: another id does not verify', () => {
    const issued = newWebhookSecret();
    const headers = { ...signatureHeaders(issued, 'd-3', now, body), 'webhook-id': 'd-4' };
    expect(() => new Webhook(issued).verify(body, headers)).toThrow('No matching signature found');
  });

  it('sign a secret with nothing to decode with its text rather than fail', () => {
    const headers = signatureHeaders('whsec_', 'd-5', now, body);
    expect(new Webhook(Buffer.from('whsec_'), { format: 'raw' }).verify(body, headers)).toEqual(
      JSON.parse(body),
    );
  });
});
