/** A character test on an NFA edge. */
type CharTest = (c: string) => boolean;

/** One state of a glob's automaton: character edges and empty (ε) edges to other states. */
interface State {
	readonly edges: [CharTest, number][];
	readonly empty: number[];
}

const anyChar: CharTest = () => true;
const notSlash: CharTest = (c) => c !== '/';

/**
 * Compiles a glob into a nondeterministic automaton. `?` is one character
 * except "/", `*` any run without "/", `**` any run, and `**\/` any run of
 * whole directories (including none, so `a/**\/b` matches `a/b`).
 * Returns the states; the last one accepts.
 */
function compile(glob: string): State[] {
	const states: State[] = [{ edges: [], empty: [] }];
	const add = () => states.push({ edges: [], empty: [] }) - 1;
	let current = 0;
	for (let i = 0; i < glob.length; i += 1) {
		const c = glob[i] as string;
		const here = states[current] as State;
		if (c === '*' && glob[i + 1] === '*' && glob[i + 2] === '/') {
			// (anything ending in "/")? : an optional run of directories.
			const dirs = add();
			const next = add();
			here.empty.push(next, dirs);
			(states[dirs] as State).edges.push([anyChar, dirs], [(x) => x === '/', next]);
			current = next;
			i += 2;
		} else if (c === '*') {
			const globstar = glob[i + 1] === '*';
			const next = add();
			here.edges.push([globstar ? anyChar : notSlash, current]);
			here.empty.push(next);
			current = next;
			if (globstar) i += 1;
		} else {
			const next = add();
			here.edges.push([c === '?' ? notSlash : (x) => x === c, next]);
			current = next;
		}
	}
	return states;
}

// Each state's ε-closure, computed once per glob: recomputing it for every
// pair visited made long globs quadratic-squared (seconds for 200 wildcards).
function closures(states: State[]): number[][] {
	return states.map((_, start) => {
		const seen = new Set([start]);
		const stack = [start];
		while (stack.length > 0) {
			for (const next of (states[stack.pop() as number] as State).empty) {
				if (!seen.has(next)) {
					seen.add(next);
					stack.push(next);
				}
			}
		}
		return [...seen];
	});
}

/** Work left for overlap checks: pairs of automaton states they may still visit. */
export interface OverlapBudget {
	steps: number;
}

/**
 * True when some path matches both globs. Exact, not a heuristic: it runs the
 * two automata side by side (a product construction), trying as input every
 * character either glob names, "/", and one character neither names (which
 * stands for all the others). Bounded: once `budget` is spent (shared across
 * calls, so a whole reservation is bounded) the answer is a conservative true.
 */
export function globsOverlap(
	a: string,
	b: string,
	budget: OverlapBudget = { steps: 100_000 },
): boolean {
	const sa = compile(a);
	const sb = compile(b);
	const ca = closures(sa);
	const cb = closures(sb);
	const alphabet = new Set<string>(['/', '\u0000']);
	for (const c of a + b) if (c !== '*' && c !== '?') alphabet.add(c);
	const width = sb.length;
	const seen = new Set<number>();
	const stack: [number, number][] = [[0, 0]];
	while (stack.length > 0) {
		const [i0, j0] = stack.pop() as [number, number];
		for (const i of ca[i0] as number[]) {
			for (const j of cb[j0] as number[]) {
				if (seen.has(i * width + j)) continue;
				seen.add(i * width + j);
				// Out of budget: say "overlap". Reservations are advisory, and a
				// false conflict is better than holding the write lock for seconds.
				budget.steps -= 1;
				if (budget.steps < 0) return true;
				if (i === sa.length - 1 && j === sb.length - 1) return true;
				for (const c of alphabet) {
					for (const [testA, nextA] of (sa[i] as State).edges) {
						if (!testA(c)) continue;
						for (const [testB, nextB] of (sb[j] as State).edges) {
							if (testB(c)) stack.push([nextA, nextB]);
						}
					}
				}
			}
		}
	}
	return false;
}
