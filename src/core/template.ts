// The one placeholder syntax: `{field}` in titles, commands and confirm texts names a typed capture. Pure.

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The field names a template's placeholders name, in order, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The template with each placeholder replaced by fill(name), or left as it is where fill gives undefined. */
export function fillPlaceholders(template: string, fill: (name: string) => string | undefined): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => fill(name) ?? whole);
}
