// The survey core: the questionnaire file checked with the line and column of each problem, the
// built-in file, answers against their scales, NPS and CSAT on hand-worked answers, and the
// comparison with the period before.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswers, compareFigures, csatOf, figuresOf, npsOf, parseSurvey, periodOf, periodsBetween, previousPeriod, questionFor, splitAnswer } from '../../src/core/survey.js';
import { translate } from '../../src/messages/index.js';
import { ROOT } from '../helpers/crm.js';
import { errorOf } from '../helpers/errors.js';

const DEFAULT = fs.readFileSync(path.join(ROOT, 'surveys', 'default.yaml'), 'utf8');

const q = (id: string, kind: string, extra = '') => `  - id: ${id}\n    kind: ${kind}\n    zh: 问题${id}\n    en: Question ${id}\n${extra}`;
const file = (questions: string[]) => `name: test\nquestions:\n${questions.join('')}`;
const five = [q('nps', 'nps'), q('overall', 'scale'), q('product', 'scale'), q('service', 'scale'), q('comment', 'text')];

/** The English line a user reads for the file's problem. */
const problem = (text: string) => {
  const e = errorOf(() => parseSurvey(text, 'survey.yaml'));
  expect(e.exitCode).toBe(2);
  return translate('en', e.id, e.params);
};

describe('the questionnaire file', () => {
  it('reads the built-in survey: NPS, CSAT on overall, four 1-5 questions and a free-text one, in both languages', () => {
    const s = parseSurvey(DEFAULT, 'default.yaml');
    expect(s.name).toBe('quarterly');
    expect(s.questions.map((x) => `${x.id}:${x.kind}`)).toEqual(['nps:nps', 'overall:scale', 'product:scale', 'service:scale', 'delivery:scale', 'price:scale', 'comment:text']);
    expect(s.questions.find((x) => x.csat)?.id).toBe('overall');
    expect(s.questions.every((x) => x.zh && x.en)).toBe(true);
    expect(s.version).toMatch(/^[0-9a-f]{8}$/);
  });

  it('takes JSON too, and marks the first scale question as CSAT when none is marked', () => {
    const json = JSON.stringify({ name: 'j', questions: ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, kind: i === 0 ? 'nps' : i === 4 ? 'text' : 'scale', zh: id, en: id })) });
    const s = parseSurvey(json, 'survey.json');
    expect(s.questions.find((x) => x.csat)?.id).toBe('b');
  });

  it('a new version when the questions change, the same when only comments do', () => {
    const a = parseSurvey(file(five), 'x');
    expect(parseSurvey(`# a comment\n${file(five)}`, 'x').version).toBe(a.version);
    expect(parseSurvey(file([...five.slice(0, 4), q('comment', 'scale')]), 'x').version).not.toBe(a.version);
  });

  it.each([
    ['a YAML syntax error', 'name: test\nquestions:\n  - id: nps\n    kind: nps\n    zh: 推荐: 吗\n', /^survey\.yaml:5:9: not valid YAML: Nested mappings are not allowed in compact mappings$/],
    ['a key given twice', 'name: test\nname: again\n', /^survey\.yaml:2:1: not valid YAML: Map keys must be unique$/],
    ['fewer than 5 questions', file(five.slice(0, 4)), /^survey\.yaml:2:1: a survey has 5 to 8 questions; this one has 4$/],
    ['more than 8 questions', file([...five, q('a', 'scale'), q('b', 'scale'), q('c', 'scale'), q('d', 'scale')]), /^survey\.yaml:2:1: a survey has 5 to 8 questions; this one has 9$/],
    ['a question without a kind', file([...five.slice(0, 4), '  - id: price\n    zh: 价格\n    en: Price\n']), /^survey\.yaml:19:5: question "price" has no kind \(kind: nps\|scale\|text\): its scale is unknown$/],
    ['a kind that is no scale', file([...five.slice(0, 4), q('price', 'stars')]), /^survey\.yaml:20:11: question "price": kind "stars" is not one of nps\|scale\|text$/],
    ['a duplicate id', file([...five.slice(0, 4), q('overall', 'scale')]), /^survey\.yaml:19:9: question id "overall" is used twice$/],
    ['a missing language', file([...five.slice(0, 4), '  - id: price\n    kind: scale\n    zh: 价格\n']), /^survey\.yaml:19:5: question "price" has no text in en/],
    ['no name', file(five).replace('name: test\n', ''), /^survey\.yaml:1:1: the survey has no name/],
    ['two NPS questions', file([...five.slice(0, 4), q('again', 'nps')]), /^survey\.yaml:20:11: question "again": a survey has one nps question$/],
    ['required that is not true or false', file([...five.slice(0, 4), q('price', 'scale', '    required: maybe\n')]), /^survey\.yaml:23:15: question "price": required is true or false$/],
  ])('refuses %s with the line and column', (_what, text, expected) => {
    expect(problem(text)).toMatch(expected);
  });
});

describe('answers', () => {
  const s = parseSurvey(DEFAULT, 'default.yaml');

  it('checks each value against its scale, and finds a question by id or by its text in either language', () => {
    expect(checkAnswers(s, [['nps', '１０'], ['overall', '4'], ['comment', ' 很好 ']])).toEqual([
      { question: 'nps', score: 10, text: null },
      { question: 'overall', score: 4, text: null },
      { question: 'comment', score: null, text: '很好' },
    ]);
    expect(questionFor(s, '您觉得我们的价格合理吗？（1-5分）')?.id).toBe('price');
    expect(questionFor(s, 'How fair do you find our prices?')?.id).toBe('price');
  });

  it.each([
    [[['nps', '11'], ['overall', '4']], 'question nps: "11" is not a whole number from 0 to 10'],
    [[['nps', '9'], ['overall', '0']], 'question overall: "0" is not a whole number from 1 to 5'],
    [[['nps', '9'], ['overall', '4.5']], 'question overall: "4.5" is not a whole number from 1 to 5'],
    [[['nps', '9'], ['colour', '4']], 'the survey has no question "colour" (its questions: nps, overall, product, service, delivery, price, comment)'],
    [[['overall', '4']], 'question nps must be answered'],
    [[['nps', '9'], ['nps', '8'], ['overall', '4']], 'question nps is answered twice'],
  ])('refuses %j', (given, message) => {
    const e = errorOf(() => checkAnswers(s, given as [string, string][]));
    expect(e.exitCode).toBe(2);
    expect(translate('en', e.id, e.params)).toBe(message);
  });

  it('reads --answer id=value, the value holding = too', () => {
    expect(splitAnswer('comment=a=b')).toEqual(['comment', 'a=b']);
    expect(errorOf(() => splitAnswer('nps9')).id).toBe('err.survey.answerForm');
  });
});

describe('NPS and CSAT', () => {
  it('NPS is the percent of promoters (9-10) minus the percent of detractors (0-6)', () => {
    // 10 answers: promoters 10, 9, 9, 10 (4); passives 7, 8 (2); detractors 0, 6, 5, 3 (4): 40% - 40% = 0.
    expect(npsOf([10, 9, 9, 10, 7, 8, 0, 6, 5, 3])).toBe(0);
    // 4 answers: promoters 9, 10, 10 (75%); detractor 6 (25%): 50.
    expect(npsOf([9, 10, 10, 6])).toBe(50);
    expect(npsOf([0, 1, 2])).toBe(-100);
    expect(npsOf([9, 10])).toBe(100);
    expect(npsOf([7, 8])).toBe(0);
    expect(npsOf([])).toBeNull();
  });

  it('CSAT is the share answering 4 or 5', () => {
    // 5, 4, 4 of 5, 4, 4, 3, 2, 1: 3 of 6.
    expect(csatOf([5, 4, 4, 3, 2, 1])).toBe(0.5);
    expect(csatOf([5, 5, 5, 3])).toBe(0.75);
    expect(csatOf([])).toBeNull();
  });

  it("a period's figures and their change against the period before", () => {
    const s = parseSurvey(DEFAULT, 'default.yaml');
    const now = figuresOf(s, [{ nps: 10, overall: 5, product: 4 }, { nps: 9, overall: 4 }, { nps: 3, overall: 2, product: 2 }, { nps: 8, overall: 4 }], 8);
    const before = figuresOf(s, [{ nps: 6, overall: 3 }, { nps: 9, overall: 5 }], 10);
    expect(now).toMatchObject({ responses: 4, invitations: 8, responseRate: 0.5, nps: 25, promoters: 2, passives: 1, detractors: 1, csat: 0.75 });
    expect(now.averages).toMatchObject({ nps: 7.5, overall: 3.75, product: 3, service: null });
    const by = Object.fromEntries(compareFigures(s, now, before).map((m) => [m.metric, m]));
    expect(by.responses).toMatchObject({ current: 4, previous: 2, change: 1 });
    expect(by.response_rate).toMatchObject({ current: 0.5, previous: 0.2 });
    expect(by.response_rate!.change).toBeCloseTo(0.3);
    expect(by.nps).toMatchObject({ current: 25, previous: 0, change: 25 });
    expect(by.csat).toMatchObject({ current: 0.75, previous: 0.5, change: 0.25 });
    expect(by['avg:overall']).toMatchObject({ current: 3.75, previous: 4, change: -0.25 });
    expect(by['avg:service']).toMatchObject({ current: null, change: null });
    expect(Object.keys(by)).not.toContain('avg:comment');
  });
});

describe('periods', () => {
  it('calendar months, quarters and years, and the one before', () => {
    expect(periodOf('2026-11-22', 'quarter')).toEqual({ label: '2026-Q4', start: '2026-10-01', end: '2027-01-01' });
    expect(previousPeriod(periodOf('2026-02-10', 'quarter'), 'quarter')).toEqual({ label: '2025-Q4', start: '2025-10-01', end: '2026-01-01' });
    expect(periodOf('2026-03-31', 'month')).toEqual({ label: '2026-03', start: '2026-03-01', end: '2026-04-01' });
    expect(periodOf('2026-03-31', 'year').label).toBe('2026');
    expect(periodsBetween('2026-05-15', '2026-11-22', 'quarter').map((p) => p.label)).toEqual(['2026-Q2', '2026-Q3', '2026-Q4']);
  });
});
