import { agentLine } from './toolText.js';

/** The most lines of one side of a field the diff reads (a schema may be 64 KiB). */
export const MAX_DIFF_SIDE_LINES = 200;
/** The most characters of one line the diff shows. */
export const MAX_DIFF_LINE_CHARS = 200;
/** Unchanged lines kept around each change; longer unchanged runs are folded. */
const CONTEXT = 2;

/** One line of a drift diff: unchanged, only in the pin (`-`), only in the offer (`+`), or a fold. */
export interface DiffLine {
	readonly kind: 'same' | 'pinned' | 'offered' | 'fold';
	/** Escaped, bounded text (for a fold: what was left out). */
	readonly text: string;
}

/**
 * The lines of a definition field as a person reads them: a title or
 * description by its own lines, a schema or annotations as indented JSON,
 * an absent field as nothing. Each line is escaped and cut; past
 * {@link MAX_DIFF_SIDE_LINES} the rest is one line saying how many more.
 */
export function fieldLines(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const raw =
		typeof value === 'string' ? value.split('\n') : JSON.stringify(value, null, 2).split('\n');
	const kept = raw
		.slice(0, MAX_DIFF_SIDE_LINES)
		.map((line) => agentLine(line, MAX_DIFF_LINE_CHARS));
	if (raw.length > MAX_DIFF_SIDE_LINES)
		kept.push(`… ${raw.length - MAX_DIFF_SIDE_LINES} more lines`);
	return kept;
}

/**
 * A line diff of a field's pinned and offered lines (longest common
 * subsequence; both sides are bounded, so at most 201 × 201 steps), with
 * unchanged runs longer than the context around changes folded.
 */
export function diffLines(pinned: readonly string[], offered: readonly string[]): DiffLine[] {
	const n = pinned.length;
	const m = offered.length;
	// lcs[i][j]: the longest common subsequence of pinned[i..] and offered[j..].
	const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
	for (let i = n - 1; i >= 0; i--) {
		const row = lcs[i] as number[];
		const below = lcs[i + 1] as number[];
		for (let j = m - 1; j >= 0; j--) {
			row[j] =
				pinned[i] === offered[j]
					? (below[j + 1] as number) + 1
					: Math.max(below[j] as number, row[j + 1] as number);
		}
	}
	const lines: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && pinned[i] === offered[j]) {
			lines.push({ kind: 'same', text: pinned[i] as string });
			i++;
			j++;
		} else if (i < n && (j === m || (lcs[i + 1]?.[j] as number) >= (lcs[i]?.[j + 1] as number))) {
			// What the pin had comes before what replaced it, as diffs read.
			lines.push({ kind: 'pinned', text: pinned[i] as string });
			i++;
		} else {
			lines.push({ kind: 'offered', text: offered[j] as string });
			j++;
		}
	}
	return fold(lines);
}

function fold(lines: readonly DiffLine[]): DiffLine[] {
	const near = lines.map(() => false);
	lines.forEach((line, index) => {
		if (line.kind === 'same') return;
		for (
			let k = Math.max(0, index - CONTEXT);
			k <= Math.min(lines.length - 1, index + CONTEXT);
			k++
		)
			near[k] = true;
	});
	const out: DiffLine[] = [];
	let folded = 0;
	lines.forEach((line, index) => {
		if (near[index]) {
			if (folded > 0) out.push({ kind: 'fold', text: `⋯ ${folded} unchanged lines` });
			folded = 0;
			out.push(line);
		} else folded++;
	});
	if (folded > 0) out.push({ kind: 'fold', text: `⋯ ${folded} unchanged lines` });
	return out;
}
