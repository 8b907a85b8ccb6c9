/** What `drumbeat-mcp` is told: the server and the API key (flags, else DRUMBEAT_URL / DRUMBEAT_API_KEY). */
export interface StdioArgs {
  url: string;
  key: string;
}

/** Reads `--url … --key …` (or `--url=…`), falling back to the environment; throws a usage line when one is missing. */
export function parseArgs(argv: string[], env: Record<string, string | undefined>): StdioArgs {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(url|key)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`unknown argument ${argv[i]}; usage: drumbeat-mcp --url <server> --key <api key>`);
    flags.set(m[1]!, m[2] ?? argv[++i] ?? '');
  }
  const url = flags.get('url') || env.DRUMBEAT_URL || '';
  const key = flags.get('key') || env.DRUMBEAT_API_KEY || '';
  if (!url || !key)
    throw new Error('usage: drumbeat-mcp --url <server> --key <api key> (or DRUMBEAT_URL and DRUMBEAT_API_KEY)');
  if (!/^https?:\/\//.test(url)) throw new Error(`--url must be an http(s) URL, not ${url}`);
  return { url: url.replace(/\/+$/, ''), key };
}
