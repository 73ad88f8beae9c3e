// Characters a POSIX shell gives no meaning to: such a word needs no quotes,
// which keeps the command readable in `ps` and in logs.
const PLAIN_WORD = /^[A-Za-z0-9_/.,:@%+=-]+$/;

/**
 * One word for a POSIX shell (`sh -c`), quoted so the shell reads it back
 * unchanged: single quotes, each `'` inside written as `'\''`. Nothing
 * within single quotes is special (`$`, backquotes, `\`, newlines), so no
 * argument can inject a command.
 */
export function shellQuote(word: string): string {
	if (PLAIN_WORD.test(word)) return word;
	return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one shell command line: every word quoted with {@link shellQuote}. */
export function shellCommand(argv: readonly string[]): string {
	return argv.map(shellQuote).join(' ');
}
