import type { RoutingRule } from '../schemas/conversation.js';

/** Lower case without accents: "Emploi" and "EMPLÔI" read alike. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('und');
}

/** Whether `keyword` occurs in `text` as a whole word (or phrase), both folded. */
function hasWord(text: string, keyword: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf(keyword, from);
    if (i < 0) return false;
    const before = i === 0 ? '' : text[i - 1]!;
    const after = text[i + keyword.length] ?? '';
    if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
    from = i + 1;
  }
}

/** Whether the item's language is `rule` language or one of its variants (fr matches fr-CA). */
function languageMatches(ruleLang: string, itemLang: string | undefined): boolean {
  if (!itemLang) return false;
  const a = ruleLang.toLowerCase();
  const b = itemLang.toLowerCase();
  return b === a || b.startsWith(`${a}-`);
}

/**
 * The first rule that matches an arriving item, with its index, or undefined.
 * Keywords are literal (no regular expressions: a rule can never make
 * matching slow), `|`-separated, matched as words ignoring case and accents.
 */
export function firstMatchingRule(
  rules: readonly RoutingRule[],
  item: { text: string; language?: string | undefined },
): { rule: RoutingRule; index: number } | undefined {
  const text = fold(item.text);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.language !== undefined && !languageMatches(rule.language, item.language)) continue;
    if (rule.match !== undefined) {
      const words = rule.match
        .split('|')
        .map((k) => fold(k.trim()))
        .filter((k) => k !== '');
      if (!words.some((w) => hasWord(text, w))) continue;
    }
    return { rule, index };
  }
  return undefined;
}
