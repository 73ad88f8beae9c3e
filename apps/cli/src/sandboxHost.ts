// The sandbox host: one per sandboxed agent run (see @agentspace/agents'
// sandboxedCommand). Its own bundle, loading only the host and the sandbox
// library, so a run starts fast.
import { runSandboxHost } from '@agentspace/agents';

await runSandboxHost(process.argv);
