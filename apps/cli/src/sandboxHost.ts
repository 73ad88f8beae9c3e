// The sandbox host: one process per sandboxed run (see @agentspace/agents'
// sandboxedCommand), bundled on its own so that a run loads only the host and
// the sandbox library. The host is the package's `./sandbox-host` entry.
import { runSandboxHost } from '@agentspace/agents/sandbox-host';

await runSandboxHost(process.argv);
