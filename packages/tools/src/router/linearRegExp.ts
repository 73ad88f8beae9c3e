import type { CodeOptions } from 'ajv';
import { RE2JS } from 're2js';

/** Ajv's regular expression engine type (not exported by name from its entry). */
type RegExpEngine = NonNullable<CodeOptions['regExp']>;
type RegExpLike = ReturnType<RegExpEngine>;

/** The longest pattern quoted in an error. */
const QUOTED_PATTERN_LENGTH = 200;

/**
 * The regular expression engine Ajv compiles `pattern` and
 * `patternProperties` with (its `code.regExp` option). A tool's schema is
 * text an agent controls, and JavaScript's own RegExp backtracks: a pattern
 * such as `^(a+)+$` against `aaaa…a!` takes time exponential in the input and
 * would stall the daemon's event loop while it checks a call's arguments.
 * RE2JS (a pure-JavaScript port of RE2) matches in time linear in the input.
 *
 * The pattern is first translated from ECMAScript syntax (`\u0041`, `\u{…}`,
 * `(?<name>…)`, `[^]`…) to RE2's. What RE2 cannot match in linear time —
 * lookahead, lookbehind, backreferences — and invalid patterns throw, so Ajv's
 * compile fails and the schema is unusable with the reason. Small differences
 * from ECMAScript remain: `\s` is ASCII whitespace only, and `\b` is ASCII.
 */
export const linearRegExp: RegExpEngine = Object.assign(
	(pattern: string, _unicode: string): RegExpLike => {
		let compiled: RE2JS;
		try {
			compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
		} catch (error) {
			const quoted = JSON.stringify(
				pattern.length > QUOTED_PATTERN_LENGTH
					? `${pattern.slice(0, QUOTED_PATTERN_LENGTH)}…`
					: pattern,
			);
			const reason = error instanceof Error ? error.message : String(error);
			throw new Error(
				`pattern ${quoted} cannot be matched in linear time (RE2 syntax: no lookaround or backreferences): ${reason}`,
			);
		}
		// Ajv keeps one compiled pattern per toString(): it must name the pattern.
		const matcher: RegExpLike & { toString(): string } = {
			test: (text: string) => compiled.test(text),
			toString: () => `re2:${pattern}`,
		};
		return matcher;
	},
	// Only used by Ajv's standalone code generation, which AgentSpace does not use.
	{ code: 'linearRegExp' },
);
