// Which Node runs the conformance suite (it needs Node >= 22; AgentSpace runs
// on 20): the harness's own when new enough, else one named or unpacked by CI,
// else a refusal that says what is needed.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findConformanceNode } from './conformanceNode.mjs';

describe('the Node that runs the suite', () => {
	let root: string | undefined;
	afterEach(() => {
		if (root !== undefined) rmSync(root, { recursive: true, force: true });
		root = undefined;
	});

	/** A stand-in binary that answers `--version` as a Node of `version` would. */
	function fakeNode(path: string, version: string): string {
		mkdirSync(join(path, '..'), { recursive: true });
		writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
		chmodSync(path, 0o755);
		return path;
	}

	it('refuses under Node < 22 with nothing newer found, naming the Node it needs and AGENTSPACE_CONFORMANCE_NODE', () => {
		root = mkdtempSync(join(tmpdir(), 'conformance-node-'));
		const found = findConformanceNode({
			env: {},
			repoRoot: root,
			self: { version: '20.19.0', execPath: '/usr/bin/node' },
		});
		expect(found).toMatchObject({
			refusal: expect.stringMatching(/needs Node >= 22 .*this is Node v20\.19\.0/),
			hint: expect.stringContaining('AGENTSPACE_CONFORMANCE_NODE'),
		});
	});

	it("uses the harness's own Node when new enough, else CI's unpacked one under .tools", () => {
		root = mkdtempSync(join(tmpdir(), 'conformance-node-'));
		const self = { version: '24.1.0', execPath: '/opt/node24/bin/node' };
		expect(findConformanceNode({ env: {}, repoRoot: root, self })).toEqual({
			node: '/opt/node24/bin/node',
			version: 'v24.1.0',
		});
		const unpacked = fakeNode(join(root, '.tools', 'node-24.21.0', 'bin', 'node'), 'v24.21.0');
		fakeNode(join(root, '.tools', 'node-18.0.0', 'bin', 'node'), 'v18.0.0');
		expect(
			findConformanceNode({ env: {}, repoRoot: root, self: { version: '20.19.0', execPath: 'x' } }),
		).toEqual({ node: unpacked, version: 'v24.21.0' });
	});

	it('AGENTSPACE_CONFORMANCE_NODE is used when new enough, and refused (not skipped) when not', () => {
		root = mkdtempSync(join(tmpdir(), 'conformance-node-'));
		const self = { version: '24.1.0', execPath: '/opt/node24/bin/node' };
		const newer = fakeNode(join(root, 'n22', 'node'), 'v22.3.0');
		const older = fakeNode(join(root, 'n20', 'node'), 'v20.19.0');
		expect(
			findConformanceNode({ env: { AGENTSPACE_CONFORMANCE_NODE: newer }, repoRoot: root, self }),
		).toEqual({ node: newer, version: 'v22.3.0' });
		expect(
			findConformanceNode({ env: { AGENTSPACE_CONFORMANCE_NODE: older }, repoRoot: root, self }),
		).toMatchObject({ refusal: expect.stringMatching(/is Node v20\.19\.0; .*needs Node >= 22/) });
		expect(
			findConformanceNode({
				env: { AGENTSPACE_CONFORMANCE_NODE: join(root, 'missing') },
				repoRoot: root,
				self,
			}),
		).toMatchObject({ refusal: expect.stringMatching(/is not a Node binary that runs/) });
	});
});
