// fail2ban's regex tags, replaced as fail2ban replaces them before compiling: <HOST> (an address or a host name),
// <ADDR>, <IP4>, <IP6>, <DNS>, <CIDR>, <SUBNET>, <F-ID/>, <F-PORT/>, and <F-NAME>…</F-NAME> for a named group
// (lower-cased: <F-USER> is the group `user`, <F-ID> is `fid`). The result is still Python syntax. Pure.

const IP4 = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
const IP6 = '(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)';
const HOST_IP4 = `(?:::f{4,6}:)?(?P<ip4>${IP4})`;
const HOST_IP6 = `(?P<ip6>${IP6})`;
const HOST_DNS = String.raw`(?P<dns>[\w\-.^_]*\w)`;
const HOST_CIDR = String.raw`(?P<cidr>\d+)`;
const HOST_ADDR = String.raw`\[?(?:${HOST_IP4}|${HOST_IP6})\]?`;
const HOST_ANY = `(?:${HOST_ADDR}|${HOST_DNS})`;
const HOST_SUBNET = String.raw`\[?(?:${HOST_IP4}|${HOST_IP6})(?:/${HOST_CIDR})?\]?`;

const FIXED: Record<string, string> = {
  IP4: HOST_IP4,
  'F-IP4/': HOST_IP4,
  IP6: HOST_IP6,
  'F-IP6/': HOST_IP6,
  ADDR: HOST_ADDR,
  'F-ADDR/': HOST_ADDR,
  CIDR: HOST_CIDR,
  'F-CIDR/': HOST_CIDR,
  SUBNET: HOST_SUBNET,
  'F-SUBNET/': HOST_SUBNET,
  DNS: HOST_DNS,
  'F-DNS/': HOST_DNS,
  'F-ID/': String.raw`(?P<fid>\S+)`,
  'F-PORT/': String.raw`(?P<fport>\w+)`,
};

const GROUP_NAMES: Record<string, string> = { id: 'fid', port: 'fport' };

/** The group a <F-NAME> tag opens: its name lower-cased, with id and port renamed as fail2ban does. */
export const groupNameOfTag = (name: string) => GROUP_NAMES[name.toLowerCase()] ?? name.toLowerCase();

export function resolveFail2banTags(regex: string, options: { useDns?: 'yes' | 'warn' | 'no' | 'raw' } = {}): string {
  const open = new Set<string>();
  let skip = 0;
  return regex.replace(/<\/?[\w-]+\/?>/g, (tag) => {
    const name = tag.slice(1, -1);
    if (name === 'HOST') return options.useDns === 'no' ? HOST_ADDR : HOST_ANY;
    if (name === 'SKIPLINES') return String.raw`\n(?P<skiplines${skip++}>(?:(?:.*\n)*?))`;
    const fixed = FIXED[name];
    if (fixed !== undefined) return fixed;
    const custom = /^(\/?)F-([A-Z0-9_-]+)$/.exec(name);
    if (!custom) return tag;
    const [, closing, id] = custom as unknown as [string, string, string];
    if (closing) return open.has(id) ? ')' : tag;
    open.add(id);
    return `(?P<${groupNameOfTag(id)}>`;
  });
}
