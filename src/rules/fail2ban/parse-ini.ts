// fail2ban's config files as Python's ConfigParser reads them (as fail2ban sets it up): [sections], `key = value`
// or `key: value`, values continued on indented lines (joined with "\n"), whole-line comments starting with # or ;,
// inline comments after " ;". Keys keep their case (fail2ban's tags are case-sensitive). Pure.

export interface IniFile {
  /** [DEFAULT], which every section falls back to. */
  defaults: Map<string, string>;
  sections: Map<string, Map<string, string>>;
}

export interface IniProblem {
  line: number;
  message: string;
}

export function parseIni(text: string): { ini: IniFile; problems: IniProblem[] } {
  const ini: IniFile = { defaults: new Map(), sections: new Map() };
  const problems: IniProblem[] = [];
  let section: Map<string, string> | undefined;
  let key: string | undefined;
  // Values as lists of lines until the section or key changes; blank lines inside a value are kept (Python's
  // empty_lines_in_values), trailing ones dropped.
  let lines: string[] = [];
  const flush = () => {
    if (section && key !== undefined) {
      while (lines.length > 1 && lines.at(-1) === '') lines.pop();
      section.set(key, lines.join('\n'));
    }
    key = undefined;
    lines = [];
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const stripped = raw.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) return;
    const value = stripInlineComment(raw);
    if (value.trim() === '') {
      if (key !== undefined) lines.push('');
      return;
    }
    if (/^\s/.test(raw) && key !== undefined) {
      lines.push(value.trim());
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(value.trim());
    if (header && !/^\s/.test(raw)) {
      flush();
      const name = header[1]!;
      if (name === 'DEFAULT') section = ini.defaults;
      else {
        section = ini.sections.get(name) ?? new Map();
        ini.sections.set(name, section);
      }
      return;
    }
    const option = /^([^=:\s][^=:]*?)\s*[=:]\s?(.*)$/.exec(value);
    if (!option || !section) {
      problems.push({
        line: i + 1,
        message: section ? 'is neither `key = value` nor a [section]' : 'comes before any [section]',
      });
      return;
    }
    flush();
    key = option[1]!.trim();
    lines = [option[2]!.trim()];
  });
  flush();
  return { ini, problems };
}

// ConfigParser's inline_comment_prefixes=";": a ";" after whitespace starts a comment.
function stripInlineComment(line: string): string {
  const m = /\s;/.exec(line);
  return m ? line.slice(0, m.index) : line;
}
