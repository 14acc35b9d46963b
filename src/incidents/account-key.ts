// The value an account counts under. Directory services (SSSD, winbind) read `ALICE@corp.example.com`,
// `CORP\alice` and `Alice` as one account, case and domain aside: one attacker's tries under every spelling count
// together (and for local accounts, merging two spellings only counts sooner). Pure.

export function accountKey(value: string): string {
  const name = value.slice(value.lastIndexOf('\\') + 1);
  const at = name.indexOf('@');
  return (at === -1 ? name : name.slice(0, at)).toLowerCase();
}
