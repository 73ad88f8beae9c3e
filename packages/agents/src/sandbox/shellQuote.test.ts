import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from './shellQuote.js';

// Each word printed by /bin/sh itself, NUL-terminated: what the shell parsed.
function throughShell(words: readonly string[]): string[] {
	const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellCommand(words)}`], {
		encoding: 'utf8',
		env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' },
	});
	return out.split('\0').slice(0, -1);
}

const NASTY = [
	'',
	' ',
	"'",
	"''",
	"'\\''",
	'"',
	'\\',
	'\\n',
	'\n',
	'\t',
	'a b',
	'$HOME',
	// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, on purpose
	'${HOME}',
	'$(id)',
	'`id`',
	';exit 3',
	'&& echo pwned',
	'| cat',
	'> /tmp/x',
	'*',
	'?',
	'[a]',
	'~',
	'~root',
	'!',
	'#comment',
	'-n',
	'--',
	'a=b',
	'héllo wörld ✓',
	'it\'s "quoted" $HOME `id` ; \n second line',
];

describe('shellQuote', () => {
	it.each(NASTY)('round-trips %j through /bin/sh', (word) => {
		expect(throughShell([word])).toEqual([word]);
	});

	it('round-trips many words at once, each staying one word', () => {
		expect(throughShell(NASTY)).toEqual(NASTY);
	});

	it('leaves plain words readable and quotes everything else', () => {
		expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
		expect(shellQuote('--port=8080')).toBe('--port=8080');
		expect(shellQuote('')).toBe("''");
		expect(shellQuote('a b')).toBe("'a b'");
		expect(shellQuote("it's")).toBe("'it'\\''s'");
	});
});
