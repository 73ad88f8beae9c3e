// The sandbox host: one process per sandboxed run (see @agentspace/agents'
// sandboxedCommand), bundled on its own so that a run loads only the host and
// the sandbox library. The host is the package's `./sandbox-host` entry.
importing the host module alone (not the
// package index, whose Zod schemas would load too), so a run starts fast.
import { runSandboxHost } from '@agentspace/agents/sandbox-host';

await runSandboxHost(process.argv);
