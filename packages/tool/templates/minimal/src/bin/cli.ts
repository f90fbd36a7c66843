import { runCli } from 'manifold/cli'
import app from '../core/app.ts'

await runCli(app)
