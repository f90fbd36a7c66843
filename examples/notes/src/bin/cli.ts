// The `notes` command: every operation as a subcommand, `notes mcp` for agents, `--remote <url>` for a server.
import { runCli } from 'manifold/cli'
import notes from '../core/app.ts'

runCli(notes)
