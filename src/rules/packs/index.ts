// The registry of built-in packs, by the name a config's `use:` gives.
import { genericPack } from './generic.js';
import { loginPack } from './login.js';
import type { PackRule } from './pack.js';
import { pamGenericPack } from './pam-generic.js';
import { sshdAggressivePack, sshdPack } from './sshd.js';
import { sudoPack } from './sudo.js';
import { apachePack, lighttpdPack, nginxPack, webPack } from './web.js';

export const PACKS = {
  sshd: sshdPack,
  'sshd-aggressive': sshdAggressivePack,
  sudo: sudoPack,
  login: loginPack,
  'pam-generic': pamGenericPack,
  nginx: nginxPack,
  apache: apachePack,
  lighttpd: lighttpdPack,
  web: webPack,
  generic: genericPack,
} as const satisfies Record<string, PackRule[]>;

export type PackName = keyof typeof PACKS;
export const PACK_NAMES = Object.keys(PACKS) as [PackName, ...PackName[]];
export type { PackRule } from './pack.js';
