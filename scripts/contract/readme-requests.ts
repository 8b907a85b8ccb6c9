/**
 * The HTTP requests of the README's shell examples: every `curl` against `$API`
 * in a ```sh block, read as curl would send it (`-d` without a Content-Type is
 * form-encoded, `-d` alone makes a POST). The contract checks replay them
 * through Prism and type-check their JSON bodies against generated types, so
 * the README cannot drift from the API document.
 */

/** One request as the README writes it; `$API` stripped from the URL, placeholders (`acc_…`) left in. */
export interface ReadmeRequest {
  method: string;
  /** Path and query, e.g. `/v1/accounts/acc_…/posts`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The README line the command starts on, for messages. */
  line: number;
}

/** Shell words of a command: quotes removed (single quotes literal, double quotes keep `$VAR`), `\`-newlines joined. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (ch === '\\' && command[i + 1] === '\n') {
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = command.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unterminated ${ch} in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
      continue;
    }
    word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The commands of a ```sh block: comment lines dropped, continuation lines and open quotes joined. */
function commands(block: string, firstLine: number): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  block.split('\n').forEach((raw, i) => {
    if (!current && /^\s*(#|$)/.test(raw)) return;
    current = current ? { ...current, text: `${current.text}\n${raw}` } : { text: raw, line: firstLine + i };
    const quotes = (current.text.match(/'/g) ?? []).length;
    if (raw.endsWith('\\') || quotes % 2 === 1) return;
    out.push(current);
    current = undefined;
  });
  return out;
}

/** `curl … $API/path …` → the request it sends. */
export function curlRequest(words: string[], line: number): ReadmeRequest | undefined {
  if (words[0] !== 'curl') return undefined;
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let body: string | undefined;
  let url: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-X') method = words[++i];
    else if (w === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      headers[name!.trim()] = value.join(':').trim();
    } else if (w === '-d' || w === '--data') body = words[++i];
    else if (!w.startsWith('-')) url = w;
  }
  if (!url?.startsWith('$API')) return undefined;
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    path: url.slice('$API'.length),
    headers,
    ...(body === undefined ? {} : { body }),
    line,
  };
}

/** Every request of the README's ```sh blocks, in order. */
export function readmeRequests(markdown: string): ReadmeRequest[] {
  const out: ReadmeRequest[] = [];
  const fence = /^```sh\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(fence)) {
    const firstLine = markdown.slice(0, m.index).split('\n').length + 1;
    for (const { text, line } of commands(m[1]!, firstLine)) {
      const request = curlRequest(shellWords(text), line);
      if (request) out.push(request);
    }
  }
  return out;
}
