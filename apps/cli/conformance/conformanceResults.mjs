// Reading the expected-failures file and judging the suite's results against it.

/**
 * The scenarios of the `server:` list of an expected-failures file (the
 * suite's baseline format), each with its reason: the comment on its line,
 * `  - scenario  # why it cannot pass against a gateway`. An entry without a
 * reason is refused — every expected failure must say why.
 *
 * @param {string} text
 * @returns {Map<string, string>}
 */
export function readExpectedFailures(text) {
	const expected = new Map();
	let section;
	for (const [index, raw] of text.split('\n').entries()) {
		const line = raw.trimEnd();
		if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
		const key = /^([A-Za-z]+):\s*(#.*)?$/.exec(line);
		if (key !== null) {
			section = key[1];
			continue;
		}
		const entry = /^\s+-\s+([A-Za-z0-9_./-]+)\s*(?:#\s*(.*))?$/.exec(line);
		if (entry === null || section === undefined) {
			throw new Error(`expected-failures.yml line ${index + 1}: not "  - <scenario>  # <reason>"`);
		}
		if (section !== 'server') continue;
		const reason = entry[2]?.trim() ?? '';
		if (reason === '') {
			throw new Error(
				`expected-failures.yml line ${index + 1}: ${entry[1]} has no reason (add "# <why it cannot pass>")`,
			);
		}
		expected.set(entry[1], reason);
	}
	return expected;
}

/**
 * One scenario's outcome from its result directory's name
 * (`server-<scenario>-<ISO time>`) and its checks.json: failed as the suite
 * counts it (a FAILURE or a WARNING check), with the first such message.
 *
 * @param {string} dirName
 * @param {{ id: string, status: string, errorMessage?: string }[]} checks
 * @returns {{ scenario: string, failed: boolean, firstError: string }}
 */
export function scenarioOutcome(dirName, checks) {
	const scenario = dirName.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
	const bad = checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
	const first = bad[0];
	const firstError =
		first === undefined ? '' : `${first.id}: ${first.errorMessage ?? first.status}`.split('\n')[0];
	return { scenario, failed: bad.length > 0, firstError };
}

/**
 * The run's verdict: a row per scenario (sorted), `ok` unless a scenario
 * failed that is not expected to, or passed though expected to fail, or (when
 * the whole suite ran, `all`) an expected failure did not run at all.
 *
 * @param {{ scenario: string, failed: boolean, firstError: string }[]} outcomes
 * @param {Map<string, string>} expected
 * @param {{ all: boolean }} scope
 */
export function verdictOf(outcomes, expected, { all }) {
	const rows = [];
	const counts = { pass: 0, expected: 0, unexpected: 0 };
	for (const outcome of [...outcomes].sort((a, b) => a.scenario.localeCompare(b.scenario))) {
		const reason = expected.get(outcome.scenario);
		if (!outcome.failed && reason === undefined) {
			counts.pass += 1;
			rows.push({ scenario: outcome.scenario, label: 'pass', why: '' });
		} else if (outcome.failed && reason !== undefined) {
			counts.expected += 1;
			rows.push({ scenario: outcome.scenario, label: 'expected failure', why: reason });
		} else if (outcome.failed) {
			counts.unexpected += 1;
			rows.push({
				scenario: outcome.scenario,
				label: 'UNEXPECTED FAILURE',
				why: outcome.firstError,
			});
		} else {
			counts.unexpected += 1;
			rows.push({
				scenario: outcome.scenario,
				label: 'UNEXPECTED PASS',
				why: 'passes now: remove it from expected-failures.yml',
			});
		}
	}
	const ran = new Set(outcomes.map((outcome) => outcome.scenario));
	if (all) {
		for (const scenario of expected.keys()) {
			if (ran.has(scenario)) continue;
			counts.unexpected += 1;
			rows.push({
				scenario,
				label: 'NOT RUN',
				why: 'expected to fail but the suite has no such scenario: remove it',
			});
		}
	}
	return {
		rows,
		ok: counts.unexpected === 0 && outcomes.length > 0,
		summary: `${counts.pass} passed, ${counts.expected} expected failures, ${counts.unexpected} unexpected`,
	};
}
