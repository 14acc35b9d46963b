import { describe, expect, it } from 'vitest';
import * as errors from '../../src/core/errors.js';

const classes = (Object.values(errors) as unknown[]).filter(
  (v) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof errors.LogwardenError,
);

describe('core/errors', () => {
  it('gives every error class a code of its own', () => {
    const instances = [
      new errors.ConfigInvalidError('f.yml', [{ path: 'rules[0]', message: 'bad.' }]),
      new errors.ConfigUnreadableError('f.yml', 'gone'),
      new errors.StoreFailedError('/x.db', 'locked'),
      new errors.SourceUnreadableError('auth', '/var/log/auth.log', 'denied'),
      new errors.JournalFailedError('j', 'exited'),
      new errors.ReplayInputUnreadableError('x.log', 'gone'),
      new errors.SlackAuthFailedError('invalid_auth'),
      new errors.SmtpUnconfiguredError(),
      new errors.Fail2banFilterInvalidError('sshd.conf', 'bad'),
      new errors.LearnInputError('x.log: which source is it from?'),
      new errors.GeoipUnreadableError('/x.mmdb', 'gone'),
    ];
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(classes).toHaveLength(instances.length);
    const codes = instances.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of instances) expect(Object.values(errors.ErrorCode)).toContain(e.code);
  });

  it('keeps the cause', () => {
    const cause = new Error('EACCES');
    expect(new errors.StoreFailedError('/x.db', 'no', { cause }).cause).toBe(cause);
  });
});
