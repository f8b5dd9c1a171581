/**
 * Issue 28 part 6: what the node keeps of an answer beyond the fields it reads is bounded (depth,
 * entries, text length, size in all), and the cut is said.
 */
import { KEPT_JSON_LIMITS, keptJson, keptText } from '../../nodes/SparkPortrait/api/keptJson';

describe('keptJson', () => {
	it('keeps a small object as it is, and says nothing was cut', () => {
		const metadata = { width: 1328, height: 1328, prompt: 'studio', nested: { list: [1, 'two', null, true] } };
		expect(keptJson(metadata)).toEqual({ value: metadata, cut: false });
	});

	it.each<[string, Record<string, unknown>, (kept: Record<string, unknown>) => void]>([
		['a list of 300,000 {} objects', { list: Array.from({ length: 300_000 }, () => ({})) }, (kept) => expect(kept.list).toHaveLength(KEPT_JSON_LIMITS.maxEntries)],
		['60,000 keys', Object.fromEntries(Array.from({ length: 60_000 }, (_, index) => [`k${index}`, index])), (kept) => expect(Object.keys(kept)).toHaveLength(KEPT_JSON_LIMITS.maxEntries)],
		['a 1 MB text', { text: 'x'.repeat(1024 * 1024) }, (kept) => expect(kept.text).toBe(`${'x'.repeat(KEPT_JSON_LIMITS.maxTextChars)}…`)],
		['a 1 MB key', { ['k'.repeat(1024 * 1024)]: 1 }, (kept) => expect(Object.keys(kept)).toEqual([`${'k'.repeat(KEPT_JSON_LIMITS.maxTextChars)}…`])],
		['nesting 100 deep', JSON.parse(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`) as Record<string, unknown>, (kept) => expect(JSON.stringify(kept)).toBe(`${'{"a":'.repeat(4)}{}${'}'.repeat(4)}`)],
		['100 texts of 900 characters', Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`k${index}`, 'y'.repeat(900)])), (kept) => expect(Object.keys(kept).length).toBeLessThan(20)],
	])('cuts %s, and says so', (_name, value, check) => {
		const kept = keptJson(value);
		expect(kept.cut).toBe(true);
		expect(JSON.stringify(kept.value).length).toBeLessThanOrEqual(KEPT_JSON_LIMITS.maxChars + KEPT_JSON_LIMITS.maxTextChars + 10);
		check(kept.value);
	});

	it('keeps a key "__proto__" as a key, never as the copy\'s prototype', () => {
		const kept = keptJson(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>).value;
		expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
		expect((kept as { polluted?: unknown }).polluted).toBeUndefined();
		expect(Object.keys(kept)).toEqual(['__proto__', 'a']);
	});
});

describe('keptText', () => {
	it('leaves a short text alone and marks where a long one was cut', () => {
		expect(keptText('short')).toBe('short');
		expect(keptText('abcdef', 3)).toBe('abc…');
	});
});
