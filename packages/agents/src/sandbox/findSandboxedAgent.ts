import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process inside the sandbox, by its host pid. */
export interface SandboxedProcess {
	readonly pid: number;
	/**
	 * Its program: the executable it runs (`/proc/<pid>/exe`), which changes
	 * when the process execs another one — and only then. Not its name
	 * (`comm`): a process renames itself freely (Node 24 names its main
	 * thread `MainThread`, `process.title` does too). Its name only when the
	 * executable cannot be read (a zombie).
	 */
	readonly program: string;
}

function read(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

/** Every process's children and name (`comm`), from `/proc/<pid>/stat`. */
function processTable(): { children: Map<number, number[]>; programs: Map<number, string> } {
	const children = new Map<number, number[]>();
	const programs = new Map<number, string>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const stat = read(`/proc/${name}/stat`);
		if (stat === undefined) continue;
		// The program name is in parentheses and may hold both: fields resume after the last ')'.
		const close = stat.lastIndexOf(')');
		const ppid = Number(stat.slice(close + 2).split(' ')[1]);
		programs.set(Number(name), stat.slice(stat.indexOf('(') + 1, close));
		children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
	}
	return { children, programs };
}

function nsPids(pid: number): string[] | undefined {
	return read(`/proc/${pid}/status`)
		?.split('\n')
		.find((line) => line.startsWith('NSpid:'))
		?.slice('NSpid:'.length)
		.trim()
		.split(/\s+/);
}

function programOf(pid: number, names: Map<number, string>): string {
	try {
		return readlinkSync(`/proc/${pid}/exe`);
	} catch {
		return `(${names.get(pid) ?? ''})`;
	}
}

/**
 * The sandbox's innermost init below the wrapper `wrapperPid` (the outer
 * bwrap): the first descendant whose NSpid has `levels` levels and ends in 1.
 * With the sandbox host that is the seccomp helper, pid 1 of a third pid
 * namespace (`levels` 3); when the supervisor starts bwrap itself it is the
 * shell bwrap runs as pid 1 (`levels` 2). Linux only.
 */
export function findSandboxInit(wrapperPid: number, levels = 3): number | undefined {
	return findInit(processTable().children, wrapperPid, levels);
}

function findInit(
	children: Map<number, number[]>,
	wrapperPid: number,
	levels: number,
): number | undefined {
	const queue = [...(children.get(wrapperPid) ?? [])];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		const nspid = nsPids(pid);
		if (nspid?.length === levels && nspid[levels - 1] === '1') return pid;
		queue.push(...(children.get(pid) ?? []));
	}
	return undefined;
}

/**
 * The agent's process below the wrapper `wrapperPid`: the child of the
 * sandbox's innermost init (see {@link findSandboxInit}). Before the agent is
 * exec'd that child is the shell that starts it. Undefined while the sandbox
 * is being set up, or without the seccomp helper. Linux only.
 */
export function findSandboxedAgent(wrapperPid: number, levels = 3): SandboxedProcess | undefined {
	const { children, programs } = processTable();
	const init = findInit(children, wrapperPid, levels);
	const agent = init === undefined ? undefined : children.get(init)?.[0];
	return agent === undefined ? undefined : { pid: agent, program: programOf(agent, programs) };
}
