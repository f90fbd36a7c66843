import { serveMcp } from 'manifold/mcp'
import app from '../core/app.ts'

await serveMcp(app, { transport: 'stdio' })
