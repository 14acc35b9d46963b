// What each capture type accepts: the values a command may receive as one argv element.
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isValidField } from '../../src/rules/field-types.js';

describe('ip fields', () => {
  it.each([
    ['203.0.113.7', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['2001:db8::7', true],
    ['::ffff:203.0.113.7', true],
    ['256.1.1.1', false],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['1.2.3.4.', false],
    ['.1.2.3.4', false],
    ['1.2.3.4.5', false],
    ['1..2.3', false],
    ['99999999999.1.1.1', false],
    ['1.2.3.4 ', false],
    ['-1.2.3.4', false],
    ['', false],
  ])('%s → %s, as node:net says', (value, valid) => {
    expect(isValidField('ip', value)).toBe(valid);
    expect(isIP(value) !== 0).toBe(valid);
  });
});

describe('runnable types refuse what a command would read otherwise', () => {
  it.each([
    ['cidr', '192.2.0.0/016'],
    ['cidr', 'fe80::%eth0/64'],
    ['ip', 'fe80::1%eth0'],
    ['int', '-1'],
    ['user', '0'],
    ['user', '65534'],
    ['user', 'CORP\\0'],
    ['user', '0@corp.example.com'],
    ['user', '-alice@corp.example.com'],
    ['user', 'alice@'],
    ['user', '@corp.example.com'],
    ['user', 'alice@corp..com'],
    ['user', 'alice@corp.example.com '],
    ['user', 'a\\b\\c'],
    ['user', 'alice@-corp.com'],
    ['host', '0x7f000001'],
    ['host', '2130706433'],
    ['host', '0177.0.0.1'],
    ['host', '127.1'],
  ] as const)('%s %s', (type, value) => {
    expect(isValidField(type, value)).toBe(false);
  });

  it.each([
    ['cidr', '192.2.0.0/16'],
    ['cidr', '10.0.0.0/0'],
    ['signed', '-1'],
    ['user', 'svc0'],
    ['user', 'alice@corp.example.com'],
    ['user', 'CORP\\alice'],
    ['user', 'WS01$'],
    ['host', 'web3.example.com'],
  ] as const)('%s %s passes', (type, value) => {
    expect(isValidField(type, value)).toBe(true);
  });
});
