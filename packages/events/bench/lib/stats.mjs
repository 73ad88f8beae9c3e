// Summaries of latency samples. Percentiles are nearest-rank on the sorted
// samples: with a few thousand samples p99 is a real observed latency, not an
// interpolation between two.

/** The `p`-th percentile (0-100) of already sorted values. */
export function percentile(sorted, p) {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** n, mean, p50, p90, p99 and max of samples in milliseconds. */
export function summarize(samples) {
	const sorted = Float64Array.from(samples).sort();
	const total = sorted.reduce((sum, v) => sum + v, 0);
	return {
		n: sorted.length,
		meanMs: round(total / sorted.length),
		p50Ms: round(percentile(sorted, 50)),
		p90Ms: round(percentile(sorted, 90)),
		p99Ms: round(percentile(sorted, 99)),
		maxMs: round(sorted[sorted.length - 1]),
	};
}

/** Rounds to 4 significant decimals of a millisecond (0.1 µs), enough for the table and the JSON. */
export function round(value, digits = 4) {
	const scale = 10 ** digits;
	return Math.round(value * scale) / scale;
}
