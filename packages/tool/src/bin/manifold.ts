import { runCli } from 'manifold/cli'
import tool from '../app.ts'

await runCli(tool)
