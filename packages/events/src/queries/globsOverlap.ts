/**
 * Glob tokens: a literal character, `?` (one character except "/"), `*` (any
 * run without "/") or `**` (any run, "/" included).
 */
type Token =
	| { kind: 'char'; char: string }
	| { kind: 'one' }
	| { kind: 'star' }
	| { kind: 'globstar' };

function tokenize(glob: string): Token[] {
	const tokens: Token[] = [];
	for (let i = 0; i < glob.length; i += 1) {
		const c = glob[i] as string;
		if (c === '*' && glob[i + 1] === '*') {
			tokens.push({ kind: 'globstar' });
			i += 1;
			// `a/**/b` also matches `a/b`: the slash after ** is optional.
			if (glob[i + 1] === '/') i += 1;
		} else if (c === '*') tokens.push({ kind: 'star' });
		else if (c === '?') tokens.push({ kind: 'one' });
		else tokens.push({ kind: 'char', char: c });
	}
	return tokens;
}

function accepts(token: Token, c: string): boolean {
	if (token.kind === 'char') return token.char === c;
	if (token.kind === 'globstar') return true;
	return c !== '/';
}

const isStar = (t: Token | undefined) => t?.kind === 'star' || t?.kind === 'globstar';

/**
 * True when some path matches both globs. Exact, not a heuristic: it walks the
 * two patterns side by side as automata (a product construction), trying as
 * input every character either pattern names plus "/" and one character
 * neither names (which stands for all the others).
 */
export function globsOverlap(a: string, b: string): boolean {
	const ta = tokenize(a);
	const tb = tokenize(b);
	const alphabet = new Set<string>(['/', '\u0000']);
	for (const t of [...ta, ...tb]) if (t.kind === 'char') alphabet.add(t.char);
	const seen = new Set<number>();
	const width = tb.length + 1;
	const stack: [number, number][] = [[0, 0]];
	while (stack.length > 0) {
		const [i, j] = stack.pop() as [number, number];
		const key = i * width + j;
		if (seen.has(key)) continue;
		seen.add(key);
		if (i === ta.length && j === tb.length) return true;
		// A star may match nothing.
		if (isStar(ta[i])) stack.push([i + 1, j]);
		if (isStar(tb[j])) stack.push([i, j + 1]);
		const x = ta[i];
		const y = tb[j];
		if (x === undefined || y === undefined) continue;
		for (const c of alphabet) {
			if (!accepts(x, c) || !accepts(y, c)) continue;
			stack.push([isStar(x) ? i : i + 1, isStar(y) ? j : j + 1]);
		}
	}
	return false;
}
