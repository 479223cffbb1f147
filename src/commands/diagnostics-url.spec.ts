import { isLoopbackUrl } from './diagnostics.service';

describe('isLoopbackUrl: upload URLs no charger can reach', () => {
  it.each([
    ['http://localhost:3000', true],
    ['http://LOCALHOST:3000', true],
    ['http://csms.localhost', true],
    ['http://127.0.0.1:3000', true],
    ['http://127.8.9.10', true],
    ['http://[::1]:3000', true],
    ['http://0.0.0.0:3000', true],
    ['http://[::]:3000', true],
    ['https://csms.example.com', false],
    ['http://10.0.0.5:3000', false],
    ['http://127.example.com', false],
    ['http://[2001:db8::1]:3000', false],
  ])('%s → %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});
