import type { ToolRow } from '@agentspace/tools';
import type { Child, FC } from 'hono/jsx';
import { diffLines, fieldLines } from './toolDiff.js';
import { agentLine } from './toolText.js';

const PREFIX = { same: '  ', pinned: '- ', offered: '+ ', fold: '' } as const;

/**
 * A drifted tool's change: for each changed field (title, description,
 * schemas, annotations), a line diff of the pinned definition (`-`) against
 * the offered one (`+`), escaped and bounded (see toolDiff); then
 * `children` (the accept form).
 */
export const DriftDiff: FC<{ row: ToolRow; children?: Child }> = ({ row, children }) => {
	const drift = row.drift;
	if (drift === undefined) return null;
	return (
		<div class="drift" data-drift={row.name}>
			<h3>
				<code>{agentLine(row.name, 128)}</code>
			</h3>
			<p class="muted mono">
				pinned {drift.pinned.definitionHash.slice(0, 12)} → offered{' '}
				{drift.offered.definitionHash.slice(0, 12)}
			</p>
			{drift.changed.map((field) => {
				const key = field as keyof typeof drift.pinned;
				return (
					<div data-field={field}>
						<div class="field">{field}</div>
						<pre class="diff">
							{diffLines(fieldLines(drift.pinned[key]), fieldLines(drift.offered[key])).map(
								(line) => (
									<span class={`line ${line.kind}`}>
										{PREFIX[line.kind]}
										{line.text}
									</span>
								),
							)}
						</pre>
					</div>
				);
			})}
			<div class="actions">{children}</div>
		</div>
	);
};
