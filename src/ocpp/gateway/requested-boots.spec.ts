import { REQUESTED_BOOT_WINDOW_MS, RequestedBoots, asksForBoot } from './requested-boots';

describe('RequestedBoots', () => {
  it.each<[string, object, boolean]>([
    ['TriggerMessage', { requestedMessage: 'BootNotification' }, true],
    ['TriggerMessage', { requestedMessage: 'Heartbeat' }, false],
    ['TriggerMessage', { requestedMessage: 'BootNotification', connectorId: 1 }, true],
    ['Reset', { type: 'Soft' }, false],
  ])('%s %j asks for a boot: %s', (action, payload, expected) => {
    expect(asksForBoot(action, payload)).toBe(expected);
  });

  it('counts one boot as asked for, only within the window, and only for that charger', () => {
    const boots = new RequestedBoots();
    boots.expect('CP1', 1_000);
    expect(boots.take('CP2', 1_001)).toBe(false);
    expect(boots.take('CP1', 1_001)).toBe(true);
    expect(boots.take('CP1', 1_002)).toBe(false);

    boots.expect('CP1', 5_000);
    expect(boots.take('CP1', 5_000 + REQUESTED_BOOT_WINDOW_MS)).toBe(false);
  });

  it('forgets a boot the charger will not send', () => {
    const boots = new RequestedBoots();
    boots.expect('CP1', 0);
    boots.forget('CP1');
    expect(boots.take('CP1', 1)).toBe(false);
  });
});
