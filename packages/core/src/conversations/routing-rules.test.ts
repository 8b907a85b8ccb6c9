import { describe, expect, it } from 'vitest';
import { firstMatchingRule } from './routing-rules.js';

const HR = 'vce_hr';
const FR = 'vce_fr';
const rules = [
  { match: 'emploi|job|hiring', voiceId: HR },
  { language: 'fr', voiceId: FR },
];

describe('routing rules', () => {
  it('matches keywords as words, ignoring case and accents, first rule first', () => {
    expect(firstMatchingRule(rules, { text: 'Are you HIRING?' })).toMatchObject({ index: 0, rule: { voiceId: HR } });
    expect(firstMatchingRule(rules, { text: "Une offre d'EMPLÔI ?", language: 'fr' })?.index).toBe(0);
    expect(firstMatchingRule(rules, { text: 'jobs page' })).toBeUndefined(); // "jobs" is not the word "job"
    expect(firstMatchingRule(rules, { text: 'a blowjob' })).toBeUndefined();
  });

  it('matches a language and its regional variants', () => {
    expect(firstMatchingRule(rules, { text: 'Bonjour', language: 'fr-CA' })?.rule.voiceId).toBe(FR);
    expect(firstMatchingRule(rules, { text: 'Bonjour', language: 'fro' })).toBeUndefined();
    expect(firstMatchingRule(rules, { text: 'Bonjour' })).toBeUndefined();
  });

  it('needs both when a rule gives keywords and a language', () => {
    const both = [{ match: 'job', language: 'en', voiceId: HR }];
    expect(firstMatchingRule(both, { text: 'job?', language: 'en-GB' })).toBeDefined();
    expect(firstMatchingRule(both, { text: 'job?', language: 'de' })).toBeUndefined();
  });

  it('treats keywords literally: no pattern can make matching slow', () => {
    const evil = [{ match: '(a+)+$|.*', voiceId: HR }];
    const started = Date.now();
    expect(firstMatchingRule(evil, { text: `${'a'.repeat(10_000)}!` })).toBeUndefined();
    expect(firstMatchingRule(evil, { text: 'see (a+)+$ here' })).toBeDefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
